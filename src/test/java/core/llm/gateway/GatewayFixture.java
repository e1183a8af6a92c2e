package core.llm.gateway;

import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderCreators;
import core.llm.observability.Observability;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running gateway on a free loopback port over fake Ollama servers (written from ollama-api.md):
 * the configuration is the test's YAML, in which {@code ${ollama0}}, {@code ${ollama1}}... stand
 * for the fakes' base URLs. Tests call it from their own thread (it blocks while starting).
 */
final class GatewayFixture implements AutoCloseable {
  final Vertx vertx;
  final List<FakeOllamaServer> ollamas = new ArrayList<>();
  final ProviderConfigManager configs;
  final LlmProviderFactory factory;
  final Observability obs =
      Observability.builder().metrics(MicrometerMetricsSink.prometheus()).requestLog(false).build();
  final Gateway gateway;
  final Path configFile;

  private GatewayFixture(Path dir, int fakeOllamas, String yaml, Map<String, String> env)
      throws Exception {
    vertx = Vertx.vertx();
    for (int i = 0; i < fakeOllamas; i++) {
      ollamas.add(FakeOllamaServer.start(vertx).await());
    }
    String text = yaml;
    for (int i = 0; i < ollamas.size(); i++) {
      text = text.replace("${ollama" + i + "}", ollamas.get(i).baseUrl());
    }
    configFile = dir.resolve("llm.yaml");
    Files.writeString(configFile, text);
    var creators = ProviderCreators.discover();
    configs = ProviderConfigManager.create(vertx, configFile, env, creators.keySet());
    configs.start().await();
    factory =
        LlmProviderFactory.builder(vertx, configs)
            .creators(creators)
            .secrets(SecretResolver.fromEnv(env::get))
            .decorator(obs.decorator())
            .listener(obs.routingListener())
            .build();
    factory.start().await();
    gateway =
        Gateway.create(vertx, factory, configs, new GatewayOptions().setPort(0), obs)
            .listen()
            .await();
  }

  /** One fake Ollama as the only provider, named {@code ollama}. */
  static GatewayFixture oneOllama(Path dir) throws Exception {
    return start(
        dir,
        1,
        """
        providers:
          - name: ollama
            type: ollama
            baseUrl: ${ollama0}
        """);
  }

  static GatewayFixture start(Path dir, int fakeOllamas, String yaml) throws Exception {
    return new GatewayFixture(dir, fakeOllamas, yaml, Map.of());
  }

  static GatewayFixture start(Path dir, int fakeOllamas, String yaml, Map<String, String> env)
      throws Exception {
    return new GatewayFixture(dir, fakeOllamas, yaml, env);
  }

  FakeOllamaServer ollama() {
    return ollamas.get(0);
  }

  String baseUrl() {
    return gateway.baseUrl();
  }

  @Override
  public void close() throws Exception {
    gateway.shutdown(Duration.ZERO).await();
    factory.close().await();
    configs.stop().await();
    for (FakeOllamaServer s : ollamas) {
      s.close().await();
    }
    vertx.close().await();
  }
}
