package corellm.bench.clients;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.EmbeddingRequest;
import core.llm.common.GenerationOptions;
import core.llm.factory.LlmProviderFactory;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The path most applications use ({@code core-llm-routed}): a configuration with one Ollama
 * provider at the bench server, its pool sized by the provider's {@code http.maxPoolSize}, the
 * {@link LlmProviderFactory} built from it and every call through {@code factory.router()}.
 */
public final class RoutedClient implements BenchClient {
  private final Vertx vertx;
  private final ProviderConfigManager configs;
  private final LlmProviderFactory factory;
  private final LlmProvider router;
  private final Path file;

  RoutedClient(String baseUrl, int poolSize) {
    this.vertx = Vertx.vertx();
    try {
      file = Files.createTempFile("bench-routed", ".yaml");
      Files.writeString(file, yaml(baseUrl, poolSize));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    configs = ProviderConfigManager.create(vertx, file, Map.of(), null);
    configs.start().await();
    factory = LlmProviderFactory.builder(vertx, configs).build();
    router = factory.router();
  }

  static String yaml(String baseUrl, int poolSize) {
    return "reload: { watch: false }\n"
        + "defaultProvider: bench\n"
        + "providers:\n"
        + "  - name: bench\n"
        + "    type: ollama\n"
        + "    baseUrl: "
        + baseUrl
        + "\n"
        + "    models: [llama3.2:1b, nomic-embed-text]\n"
        + "    http:\n"
        + "      maxPoolSize: "
        + poolSize
        + "\n";
  }

  @Override
  public boolean blocking() {
    return false;
  }

  private static CompletionRequest request(int tokens) {
    return CompletionRequest.builder("llama3.2:1b")
        .user("Why is the sky blue?")
        .options(GenerationOptions.builder().maxTokens(tokens).build())
        .build();
  }

  @Override
  public CompletableFuture<Integer> streamAsync(int tokens) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    int[] count = {0};
    ResponseStream<CompletionDelta, ?> stream = router.chatStream(request(tokens));
    stream.exceptionHandler(f::completeExceptionally);
    stream.endHandler(v -> f.complete(count[0]));
    stream.handler(
        d -> {
          if (!d.content().isEmpty()) {
            count[0]++;
          }
        });
    return f;
  }

  @Override
  public CompletableFuture<Integer> chatAsync(int tokens) {
    return router
        .chat(request(tokens))
        .map(r -> r.content().length())
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Integer> embedAsync(List<String> inputs) {
    return router
        .embed(new EmbeddingRequest("nomic-embed-text", inputs, null))
        .map(r -> r.vectors().stream().mapToInt(v -> v.length).sum())
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public void close() throws Exception {
    factory.close().await();
    configs.stop().await();
    vertx.close().await();
    Files.deleteIfExists(file);
  }
}
