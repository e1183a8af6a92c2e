package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of POST /api/generate. An absent or empty prompt only loads the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateRequest(
    @JsonProperty("model") String model,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("suffix") String suffix,
    @JsonProperty("system") String system,
    @JsonProperty("template") String template,
    @JsonProperty("context") List<Integer> context,
    @JsonProperty("stream") Boolean stream,
    @JsonProperty("raw") Boolean raw,
    @JsonProperty("format") Format format,
    @JsonProperty("keep_alive") KeepAlive keepAlive,
    @JsonProperty("images") List<String> images,
    @JsonProperty("options") Options options,
    @JsonProperty("think") Think think,
    @JsonProperty("truncate") Boolean truncate,
    @JsonProperty("shift") Boolean shift,
    @JsonProperty("logprobs") Boolean logprobs,
    @JsonProperty("top_logprobs") Integer topLogprobs,
    @JsonProperty("_debug_render_only") Boolean debugRenderOnly,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public GenerateRequest {
    extra = Wire.extra(extra);
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** The same request with {@code stream} replaced; the client uses it to pick the framing. */
  public GenerateRequest withStream(Boolean newStream) {
    if (java.util.Objects.equals(stream, newStream)) {
      return this; // records are immutable: a request already set as asked is sent as it is
    }
    return new GenerateRequest(
        model,
        prompt,
        suffix,
        system,
        template,
        context,
        newStream,
        raw,
        format,
        keepAlive,
        images,
        options,
        think,
        truncate,
        shift,
        logprobs,
        topLogprobs,
        debugRenderOnly,
        extra);
  }

  /** Unset fields are not sent, so server defaults apply (stream defaults to true there). */
  public static final class Builder {
    private final String model;
    private String prompt;
    private String suffix;
    private String system;
    private String template;
    private List<Integer> context;
    private Boolean stream;
    private Boolean raw;
    private Format format;
    private KeepAlive keepAlive;
    private List<String> images;
    private Options options;
    private Think think;
    private Boolean truncate;
    private Boolean shift;
    private Boolean logprobs;
    private Integer topLogprobs;
    private Boolean debugRenderOnly;
    // made on first use: most requests set none
    private Map<String, Object> extra;

    private Builder(String model) {
      this.model = model;
    }

    public Builder prompt(String v) {
      prompt = v;
      return this;
    }

    public Builder suffix(String v) {
      suffix = v;
      return this;
    }

    public Builder system(String v) {
      system = v;
      return this;
    }

    public Builder template(String v) {
      template = v;
      return this;
    }

    /** Deprecated by the server; kept for replaying old conversations. */
    public Builder context(List<Integer> v) {
      context = v;
      return this;
    }

    public Builder stream(Boolean v) {
      stream = v;
      return this;
    }

    public Builder raw(Boolean v) {
      raw = v;
      return this;
    }

    public Builder format(Format v) {
      format = v;
      return this;
    }

    public Builder keepAlive(KeepAlive v) {
      keepAlive = v;
      return this;
    }

    public Builder keepAlive(java.time.Duration v) {
      keepAlive = KeepAlive.of(v);
      return this;
    }

    public Builder image(byte[] bytes) {
      return addImage(Images.fromBytes(bytes));
    }

    /** Reads the file now: blocking, call off the event loop. */
    public Builder image(Path path) {
      return addImage(Images.fromPath(path));
    }

    public Builder image(String base64OrDataUri) {
      return addImage(Images.fromBase64(base64OrDataUri));
    }

    public Builder options(Options v) {
      options = v;
      return this;
    }

    public Builder think(Think v) {
      think = v;
      return this;
    }

    public Builder think(boolean v) {
      think = Think.of(v);
      return this;
    }

    public Builder truncate(Boolean v) {
      truncate = v;
      return this;
    }

    public Builder shift(Boolean v) {
      shift = v;
      return this;
    }

    public Builder logprobs(Boolean v) {
      logprobs = v;
      return this;
    }

    public Builder topLogprobs(Integer v) {
      topLogprobs = v;
      return this;
    }

    public Builder debugRenderOnly(Boolean v) {
      debugRenderOnly = v;
      return this;
    }

    public Builder extra(String key, Object value) {
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(key, value);
      return this;
    }

    private Builder addImage(String base64) {
      if (images == null) {
        images = new ArrayList<>();
      }
      images.add(base64);
      return this;
    }

    public GenerateRequest build() {
      return new GenerateRequest(
          model,
          prompt,
          suffix,
          system,
          template,
          context,
          stream,
          raw,
          format,
          keepAlive,
          images,
          options,
          think,
          truncate,
          shift,
          logprobs,
          topLogprobs,
          debugRenderOnly,
          extra);
    }
  }
}
