package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of POST /api/push; the deprecated {@code name} is never sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PushRequest(
    @JsonProperty("model") String model,
    @JsonProperty("insecure") Boolean insecure,
    @JsonProperty("stream") Boolean stream) {

  public static PushRequest of(String model) {
    return new PushRequest(model, null, null);
  }

  public PushRequest withStream(Boolean newStream) {
    if (java.util.Objects.equals(stream, newStream)) {
      return this; // records are immutable: a request already set as asked is sent as it is
    }
    return new PushRequest(model, insecure, newStream);
  }
}
