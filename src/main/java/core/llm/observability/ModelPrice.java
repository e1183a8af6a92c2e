package core.llm.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import core.llm.common.ModelNames;
import java.util.Objects;

/**
 * The price of one model, per million tokens. YAML/JSON-friendly: {@code {provider: openai, model:
 * gpt-4o-mini, inputPerMillion: 0.15, outputPerMillion: 0.60}}.
 *
 * @param provider provider name it applies to; null or {@code "*"} for any provider
 * @param model model name (compared with {@link ModelNames#sameModel}, so {@code llama3.2} matches
 *     {@code llama3.2:latest})
 * @param inputPerMillion price of a million prompt tokens
 * @param outputPerMillion price of a million completion tokens
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPrice(
    String provider, String model, double inputPerMillion, double outputPerMillion) {

  public ModelPrice {
    Objects.requireNonNull(model, "model");
    if (inputPerMillion < 0 || outputPerMillion < 0) {
      throw new IllegalArgumentException("negative price for " + model);
    }
  }

  /** Whether this entry prices {@code model} on {@code providerName}. */
  public boolean matches(String providerName, String modelName) {
    boolean anyProvider = provider == null || "*".equals(provider);
    return (anyProvider || provider.equals(providerName))
        && modelName != null
        && (model.equals(modelName) || ModelNames.sameModel(model, modelName));
  }

  /** The cost of these token counts (a null count counts as none). */
  public double cost(Integer promptTokens, Integer completionTokens) {
    double in = promptTokens == null ? 0 : promptTokens;
    double out = completionTokens == null ? 0 : completionTokens;
    return (in * inputPerMillion + out * outputPerMillion) / 1_000_000d;
  }
}
