package corellm.bench.clients;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * spring-ai-ollama 2.0.0's {@link OllamaApi} (the client under its ChatModel), over Reactor Netty
 * with a pool sized for the run: RestClient (blocking) for chat and embeddings, WebClient (a Flux)
 * for streams.
 */
public final class SpringAiClient implements BenchClient {
  private final OllamaApi api;
  private final ConnectionProvider pool;

  SpringAiClient(String baseUrl, int poolSize) {
    pool =
        ConnectionProvider.builder("bench")
            .maxConnections(poolSize)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofMinutes(2))
            .build();
    HttpClient http = HttpClient.create(pool);
    api =
        OllamaApi.builder()
            .baseUrl(baseUrl)
            .restClientBuilder(
                RestClient.builder().requestFactory(new ReactorClientHttpRequestFactory(http)))
            .webClientBuilder(
                WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)))
            .build();
  }

  @Override
  public boolean blocking() {
    return true;
  }

  @Override
  public boolean asyncStreaming() {
    return true;
  }

  private static OllamaApi.ChatRequest request(int tokens, boolean stream) {
    return OllamaApi.ChatRequest.builder("llama3.2:1b")
        .messages(
            List.of(
                OllamaApi.Message.builder(OllamaApi.Message.Role.USER)
                    .content("Why is the sky blue?")
                    .build()))
        .stream(stream)
        .options(Map.<String, Object>of("num_predict", tokens))
        .build();
  }

  @Override
  public CompletableFuture<Integer> streamAsync(int tokens) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    int[] count = {0};
    boolean[] done = {false};
    api.streamingChat(request(tokens, true))
        .subscribe(
            chunk -> {
              if (chunk.message() != null
                  && chunk.message().content() != null
                  && !chunk.message().content().isEmpty()) {
                count[0]++;
              }
              if (Boolean.TRUE.equals(chunk.done())) {
                done[0] = true;
              }
            },
            f::completeExceptionally,
            () -> {
              if (done[0]) {
                f.complete(count[0]);
              } else {
                f.completeExceptionally(
                    new IllegalStateException("ended without done after " + count[0]));
              }
            });
    return f;
  }

  @Override
  public int chat(int tokens) {
    return api.chat(request(tokens, false)).message().content().length();
  }

  @Override
  public int embed(List<String> inputs) {
    OllamaApi.EmbeddingsResponse r =
        api.embed(
            new OllamaApi.EmbeddingsRequest("nomic-embed-text", inputs, null, null, null, null));
    int n = 0;
    for (float[] v : r.embeddings()) {
      n += v.length;
    }
    return n;
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
