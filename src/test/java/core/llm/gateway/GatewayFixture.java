package core.llm.gateway;

import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderCreators;
import core.llm.observability.Observability;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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

  /** The key named {@code team-a}: it may use llama3.2 only. */
  static final String TEAM_KEY = "gw-team-key-0123456789";

  /** The key named {@code batch}: any model, limited per minute. */
  static final String BATCH_KEY = "gw-batch-key-abcdef";

  /** What {@code gateway.keys[].sha256} holds for {@code key}. */
  static String sha256Hex(String key) {
    return HexFormat.of().formatHex(KeyAdmission.sha256(key));
  }

  /**
   * One fake Ollama serving llama3.2 and qwen3 ("hello"), behind two keys: {@link #TEAM_KEY} (named
   * team-a, llama3.2 only) and {@link #BATCH_KEY} (named batch, any model, {@code batchPerMinute}
   * requests a minute).
   */
  static GatewayFixture keyed(Path dir, int batchPerMinute) throws Exception {
    GatewayFixture g =
        start(
            Files.createTempDirectory(dir, "keyed"),
            1,
            """
            providers:
              - name: ollama
                type: ollama
                baseUrl: ${ollama0}
            gateway:
              keys:
                - name: team-a
                  sha256: %s
                  models: [llama3.2]
                - name: batch
                  sha256: %s
                  requestsPerMinute: %d
            """
                .formatted(sha256Hex(TEAM_KEY), sha256Hex(BATCH_KEY), batchPerMinute));
    g.ollama().addModel(FakeModel.named("llama3.2").reply("hello"));
    g.ollama().addModel(FakeModel.named("qwen3").reply("hello"));
    return g;
  }

  /**
   * A gateway whose back end for llama3.2 is down (its fake closed), with or without a fallback
   * host that answers "from the second host"; one attempt per provider.
   */
  static GatewayFixture backEndDown(Path dir, boolean fallback) throws Exception {
    String yaml =
        fallback
            ? """
            defaultProvider: first
            providers:
              - name: first
                type: ollama
                baseUrl: ${ollama0}
              - name: second
                type: ollama
                baseUrl: ${ollama1}
            fallback: [second]
            routing:
              maxAttempts: 1
            """
            : """
            providers:
              - name: only
                type: ollama
                baseUrl: ${ollama0}
            routing:
              maxAttempts: 1
            """;
    GatewayFixture g = start(Files.createTempDirectory(dir, "down"), fallback ? 2 : 1, yaml);
    if (fallback) {
      g.ollamas.get(1).addModel(FakeModel.named("llama3.2").reply("from the second host"));
    }
    g.ollamas.get(0).close().await();
    return g;
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
