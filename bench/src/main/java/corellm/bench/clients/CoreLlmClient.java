package corellm.bench.clients;

import core.llm.providers.base.ResponseStream;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.Options;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This library, used as its README shows: one shared OllamaClient, streams consumed as ReadStreams.
 */
public final class CoreLlmClient implements BenchClient {
  private final Vertx vertx;
  private final OllamaClient client;

  CoreLlmClient(String baseUrl, int poolSize) {
    this.vertx = Vertx.vertx();
    OllamaClientOptions options =
        new OllamaClientOptions().setBaseUrl(baseUrl).setMaxPoolSize(poolSize);
    if (Boolean.getBoolean("bench.corellm.noTimers")) {
      // diagnosis only: no first-byte and idle timers per exchange (Timeouts: zero = no limit)
      options.setFirstByteTimeout(java.time.Duration.ZERO).setIdleTimeout(java.time.Duration.ZERO);
    }
    this.client = OllamaClient.create(vertx, options);
  }

  @Override
  public boolean blocking() {
    return false;
  }

  private static ChatRequest request(int tokens) {
    return ChatRequest.builder("llama3.2:1b")
        .message(Message.user("Why is the sky blue?"))
        .options(Options.builder().numPredict(tokens).build())
        .build();
  }

  @Override
  public CompletableFuture<Integer> streamAsync(int tokens) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    int[] count = {0};
    ResponseStream<ChatResponse, ChatResponse> stream = client.chatStream(request(tokens));
    stream.exceptionHandler(f::completeExceptionally);
    stream.endHandler(v -> f.complete(count[0]));
    stream.handler(
        chunk -> {
          Message m = chunk.message();
          if (m != null && m.content() != null && !m.content().isEmpty()) {
            count[0]++;
          }
        });
    return f;
  }

  @Override
  public CompletableFuture<Integer> chatAsync(int tokens) {
    return client
        .chat(request(tokens))
        .map(r -> r.message().content().length())
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public CompletableFuture<Integer> embedAsync(List<String> inputs) {
    return client
        .embed(EmbedRequest.builder("nomic-embed-text").input(inputs).build())
        .map(
            r -> {
              int n = 0;
              for (float[] v : r.embeddings()) {
                n += v.length;
              }
              return n;
            })
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
