package corellm.bench.clients;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client under test. Asynchronous clients implement the {@code ...Async} methods without
 * parking a thread; blocking clients implement the blocking ones and the harness gives them the
 * threads a user would have to give them.
 */
public interface BenchClient extends AutoCloseable {

  /**
   * Whether the calls block the caller (the harness then drives it with one thread per call in
   * flight).
   */
  boolean blocking();

  /**
   * A streamed chat of {@code tokens} tokens; completes with the number of non-empty content
   * chunks.
   */
  default CompletableFuture<Integer> streamAsync(int tokens) {
    throw new UnsupportedOperationException();
  }

  default int stream(int tokens) throws Exception {
    throw new UnsupportedOperationException();
  }

  /** A non-streamed chat; completes with the content length. */
  default CompletableFuture<Integer> chatAsync(int tokens) {
    throw new UnsupportedOperationException();
  }

  default int chat(int tokens) throws Exception {
    throw new UnsupportedOperationException();
  }

  /** One embed request; completes with the number of floats received. */
  default CompletableFuture<Integer> embedAsync(List<String> inputs) {
    throw new UnsupportedOperationException();
  }

  default int embed(List<String> inputs) throws Exception {
    throw new UnsupportedOperationException();
  }

  /** Whether streaming is asynchronous even when the other calls block (langchain4j, Spring AI). */
  default boolean asyncStreaming() {
    return !blocking();
  }

  @Override
  default void close() throws Exception {}

  static BenchClient create(String name, String baseUrl, int port, int poolSize) {
    return switch (name) {
      case "raw-vertx" -> new RawVertxClient(port, poolSize);
      case "core-llm" -> new CoreLlmClient(baseUrl, poolSize);
      case "core-llm-routed" -> new RoutedClient(baseUrl, poolSize);
      case "core-llm-metrics" -> new ObservedClient(baseUrl, poolSize, true);
      case "core-llm-nometrics" -> new ObservedClient(baseUrl, poolSize, false);
      case "ollama4j" -> new Ollama4jClient(baseUrl);
      case "langchain4j" -> new LangChain4jClient(baseUrl);
      case "spring-ai" -> new SpringAiClient(baseUrl, poolSize);
      default ->
          throw new IllegalArgumentException(
              "unknown client "
                  + name
                  + "; known: raw-vertx, core-llm, core-llm-routed, ollama4j, langchain4j, spring-ai");
    };
  }
}
