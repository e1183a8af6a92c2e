package corellm.bench.clients;

import io.github.ollama4j.Ollama;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.embed.OllamaEmbedRequest;
import io.github.ollama4j.models.embed.OllamaEmbedResult;
import io.github.ollama4j.utils.OptionsBuilder;
import java.util.List;

/** ollama4j 1.1.6: blocking calls; streaming through a token handler on the calling thread. */
public final class Ollama4jClient implements BenchClient {
  private final Ollama ollama;

  Ollama4jClient(String baseUrl) {
    ollama = new Ollama(baseUrl);
    ollama.setRequestTimeoutSeconds(300);
  }

  @Override
  public boolean blocking() {
    return true;
  }

  private static OllamaChatRequest request(int tokens, boolean stream) {
    // ollama4j changes the request it is given (history), so a new one per call
    OllamaChatRequest r =
        OllamaChatRequest.builder()
            .withModel("llama3.2:1b")
            .withMessage(OllamaChatMessageRole.USER, "Why is the sky blue?")
            .withOptions(new OptionsBuilder().setNumPredict(tokens).build());
    if (stream) {
      r = r.withStreaming();
    }
    return r.build();
  }

  @Override
  public int stream(int tokens) throws Exception {
    int[] count = {0};
    ollama.chat(
        request(tokens, true),
        chunk -> {
          if (chunk.getMessage() != null
              && chunk.getMessage().getResponse() != null
              && !chunk.getMessage().getResponse().isEmpty()) {
            count[0]++;
          }
        });
    return count[0];
  }

  @Override
  public int chat(int tokens) throws Exception {
    OllamaChatResult r = ollama.chat(request(tokens, false), null);
    return r.getResponseModel().getMessage().getResponse().length();
  }

  @Override
  public int embed(List<String> inputs) throws Exception {
    OllamaEmbedResult r = ollama.embed(new OllamaEmbedRequest("nomic-embed-text", inputs));
    int n = 0;
    for (List<Double> v : r.getEmbeddings()) {
      n += v.size();
    }
    return n;
  }
}
