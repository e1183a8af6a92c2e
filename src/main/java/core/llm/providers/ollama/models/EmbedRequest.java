package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of POST /api/embed. Absent input only loads the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbedRequest(
    @JsonProperty("model") String model,
    @JsonProperty("input") EmbedInput input,
    @JsonProperty("truncate") Boolean truncate,
    @JsonProperty("dimensions") Integer dimensions,
    @JsonProperty("keep_alive") KeepAlive keepAlive,
    @JsonProperty("options") Options options,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EmbedRequest {
    extra = Wire.extra(extra);
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  public static final class Builder {
    private final String model;
    private EmbedInput input;
    private Boolean truncate;
    private Integer dimensions;
    private KeepAlive keepAlive;
    private Options options;
    // made on first use: most requests set none
    private Map<String, Object> extra;

    private Builder(String model) {
      this.model = model;
    }

    public Builder input(EmbedInput v) {
      input = v;
      return this;
    }

    public Builder input(String v) {
      input = EmbedInput.of(v);
      return this;
    }

    public Builder input(List<String> v) {
      input = EmbedInput.of(v);
      return this;
    }

    /** {@code false} makes too-long inputs a 400 instead of silently cut. */
    public Builder truncate(Boolean v) {
      truncate = v;
      return this;
    }

    public Builder dimensions(Integer v) {
      dimensions = v;
      return this;
    }

    public Builder keepAlive(KeepAlive v) {
      keepAlive = v;
      return this;
    }

    public Builder options(Options v) {
      options = v;
      return this;
    }

    public Builder extra(String key, Object value) {
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(key, value);
      return this;
    }

    public EmbedRequest build() {
      return new EmbedRequest(model, input, truncate, dimensions, keepAlive, options, extra);
    }
  }
}
