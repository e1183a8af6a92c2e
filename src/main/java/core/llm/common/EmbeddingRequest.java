package core.llm.common;

import java.util.List;
import java.util.Objects;

/**
 * Texts to embed.
 *
 * @param model embedding model
 * @param inputs the texts
 * @param dimensions cut vectors to this size where the provider supports it, or null
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
  public EmbeddingRequest {
    Objects.requireNonNull(model, "model");
    inputs = List.copyOf(inputs);
  }

  public static EmbeddingRequest of(String model, String... inputs) {
    return new EmbeddingRequest(model, List.of(inputs), null);
  }
}
