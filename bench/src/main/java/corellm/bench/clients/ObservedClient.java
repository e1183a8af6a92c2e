package corellm.bench.clients;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.EmbeddingRequest;
import core.llm.common.GenerationOptions;
import core.llm.observability.MetricsSink;
import core.llm.observability.Observability;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.OllamaProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The provider path with observability, to measure what recording costs per streamed token (issue
 * 8): the Ollama provider wrapped by the observability decorator, with a Micrometer registry
 * ({@code core-llm-metrics}) or with metrics off ({@code core-llm-nometrics}). Both keep usage
 * totals and health; the request log is off in both, as a service under load would run it.
 */
public final class ObservedClient implements BenchClient {
  private final Vertx vertx;
  private final LlmProvider provider;

  ObservedClient(String baseUrl, int poolSize, boolean registry) {
    this.vertx = Vertx.vertx();
    OllamaClient client =
        OllamaClient.create(
            vertx, new OllamaClientOptions().setBaseUrl(baseUrl).setMaxPoolSize(poolSize));
    Observability obs =
        Observability.builder()
            .metrics(
                registry ? new MicrometerMetricsSink(new SimpleMeterRegistry()) : MetricsSink.NOOP)
            .requestLog(false)
            .build();
    this.provider = obs.decorator().apply(new OllamaProvider("ollama", client));
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
    ResponseStream<CompletionDelta, ?> stream = provider.chatStream(request(tokens));
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
    return provider
        .chat(request(tokens))
        .map(r -> r.content().length())
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Integer> embedAsync(List<String> inputs) {
    return provider
        .embed(new EmbeddingRequest("nomic-embed-text", inputs, null))
        .map(r -> r.vectors().stream().mapToInt(v -> v.length).sum())
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public void close() {
    provider.close().await();
    vertx.close().await();
  }
}
