package core.llm.observability;

import core.llm.common.Capability;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.FinishReason;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.common.Usage;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderContext;
import core.llm.factory.ProviderCreator;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.mock.MockProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A started config manager and a factory whose "mock" providers are MockProviders the test can
 * script.
 */
final class Fixture implements AutoCloseable {
  static final String YAML =
      """
      defaultProvider: a
      providers:
        - { name: a, type: mock, models: [m], apiKeyEnv: PLANTED_KEY }
        - { name: b, type: mock, models: [m] }
        - { name: c, type: mock, models: [r], maxRetries: 1 }
      modelMapping: { other-model: b, m: a }
      aliases: { fast: m }
      routing: { maxAttempts: 1, initialBackoff: 1ms, maxBackoff: 2ms, breakerFailureThreshold: 2, breakerCooldown: 30s }
      """;

  final Vertx vertx;
  final Map<String, MockProvider> mocks = new ConcurrentHashMap<>();
  final ProviderConfigManager configs;
  final LlmProviderFactory factory;

  Fixture(Vertx vertx, Path dir, Observability obs, Map<String, String> env) throws Exception {
    this.vertx = vertx;
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, YAML);
    configs = ProviderConfigManager.create(vertx, file, env, Set.of("mock"));
    configs.start().await();
    factory =
        LlmProviderFactory.builder(vertx, configs)
            .creator(
                new ProviderCreator() {
                  @Override
                  public String type() {
                    return "mock";
                  }

                  @Override
                  public LlmProvider create(ProviderContext ctx) {
                    return mock(ctx.name());
                  }
                })
            .secrets(SecretResolver.fromEnv(env::get))
            .random(() -> 0.0) // weighted order fixed: a before b
            .decorator(obs.decorator())
            .listener(obs.routingListener())
            .build();
  }

  MockProvider mock(String name) {
    return mocks.computeIfAbsent(name, n -> MockProvider.create(vertx, n));
  }

  static CompletionRequest req(String model, String text) {
    return CompletionRequest.builder(model).user(text).build();
  }

  @Override
  public void close() {
    factory.close().await();
    configs.stop().await();
  }

  /** A provider answering with Ollama-style usage: counts and the server's own durations. */
  static final class TimedProvider implements LlmProvider {
    static final Usage USAGE =
        new Usage(
            20,
            50,
            Duration.ofMillis(1500),
            Duration.ofMillis(300),
            Duration.ofMillis(200),
            Duration.ofMillis(1000));

    @Override
    public String name() {
      return "ollama";
    }

    @Override
    public String type() {
      return "ollama";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.CHAT);
    }

    @Override
    public Future<CompletionResult> chat(CompletionRequest request) {
      return Future.succeededFuture(
          new CompletionResult(
              "ollama", request.model(), ChatMessage.assistant("ok"), FinishReason.STOP, USAGE));
    }

    @Override
    public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<EmbeddingResult> embed(EmbeddingRequest request) {
      return Future.succeededFuture(
          new EmbeddingResult("ollama", request.model(), List.of(new float[2]), Usage.of(4, null)));
    }

    @Override
    public Future<List<ModelInfo>> listModels() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<HealthStatus> health() {
      return Future.succeededFuture(new HealthStatus(true, Duration.ZERO, "0.12", Instant.now()));
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
