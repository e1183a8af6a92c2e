package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of POST /api/show; the deprecated {@code name} is never sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShowRequest(
    @JsonProperty("model") String model,
    @JsonProperty("verbose") Boolean verbose,
    @JsonProperty("system") String system,
    @JsonProperty("options") Options options,
    /* deprecated by the server, kept so recorded requests round-trip */
    @JsonProperty("template") String template) {

  public static ShowRequest of(String model) {
    return new ShowRequest(model, null, null, null, null);
  }

  /** Verbose also returns long model_info arrays (tokenizer vocabularies): large. */
  public static ShowRequest verbose(String model) {
    return new ShowRequest(model, Boolean.TRUE, null, null, null);
  }
}
