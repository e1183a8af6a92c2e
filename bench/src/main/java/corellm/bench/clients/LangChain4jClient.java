package corellm.bench.clients;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * langchain4j-ollama 1.18.1 with its default JDK HttpClient: blocking chat and embeddings; the
 * streaming model takes a callback handler. A model is built per token count (num_predict is a
 * model setting), once, and reused.
 */
public final class LangChain4jClient implements BenchClient {
  private final String baseUrl;
  private final Map<Integer, OllamaStreamingChatModel> streaming = new ConcurrentHashMap<>();
  private final Map<Integer, OllamaChatModel> chat = new ConcurrentHashMap<>();
  private final OllamaEmbeddingModel embedding;

  LangChain4jClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.embedding =
        OllamaEmbeddingModel.builder()
            .baseUrl(baseUrl)
            .modelName("nomic-embed-text")
            .timeout(Duration.ofMinutes(5))
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

  @Override
  public CompletableFuture<Integer> streamAsync(int tokens) {
    OllamaStreamingChatModel model =
        streaming.computeIfAbsent(
            tokens,
            n ->
                OllamaStreamingChatModel.builder()
                    .baseUrl(baseUrl)
                    .modelName("llama3.2:1b")
                    .numPredict(n)
                    .timeout(Duration.ofMinutes(5))
                    .build());
    CompletableFuture<Integer> f = new CompletableFuture<>();
    int[] count = {0};
    model.chat(
        List.of(UserMessage.from("Why is the sky blue?")),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {
            if (partial != null && !partial.isEmpty()) {
              count[0]++;
            }
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            f.complete(count[0]);
          }

          @Override
          public void onError(Throwable error) {
            f.completeExceptionally(error);
          }
        });
    return f;
  }

  @Override
  public int chat(int tokens) {
    OllamaChatModel model =
        chat.computeIfAbsent(
            tokens,
            n ->
                OllamaChatModel.builder()
                    .baseUrl(baseUrl)
                    .modelName("llama3.2:1b")
                    .numPredict(n)
                    .timeout(Duration.ofMinutes(5))
                    .build());
    return model.chat(UserMessage.from("Why is the sky blue?")).aiMessage().text().length();
  }

  @Override
  public int embed(List<String> inputs) {
    List<TextSegment> segments = new ArrayList<>(inputs.size());
    for (String s : inputs) {
      segments.add(TextSegment.from(s));
    }
    int n = 0;
    for (Embedding e : embedding.embedAll(segments).content()) {
      n += e.vector().length;
    }
    return n;
  }
}
