package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of POST /api/chat. Absent or empty messages only load the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatRequest(
    @JsonProperty("model") String model,
    @JsonProperty("messages") List<Message> messages,
    @JsonProperty("tools") List<Tool> tools,
    @JsonProperty("format") Format format,
    @JsonProperty("options") Options options,
    @JsonProperty("stream") Boolean stream,
    @JsonProperty("keep_alive") KeepAlive keepAlive,
    @JsonProperty("think") Think think,
    @JsonProperty("truncate") Boolean truncate,
    @JsonProperty("shift") Boolean shift,
    @JsonProperty("logprobs") Boolean logprobs,
    @JsonProperty("top_logprobs") Integer topLogprobs,
    @JsonProperty("_debug_render_only") Boolean debugRenderOnly,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ChatRequest {
    extra = Wire.extra(extra);
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** The same request with {@code stream} replaced; the client uses it to pick the framing. */
  public ChatRequest withStream(Boolean newStream) {
    if (java.util.Objects.equals(stream, newStream)) {
      return this; // records are immutable: a request already set as asked is sent as it is
    }
    return new ChatRequest(
        model,
        messages,
        tools,
        format,
        options,
        newStream,
        keepAlive,
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
    private List<Message> messages;
    private List<Tool> tools;
    private Format format;
    private Options options;
    private Boolean stream;
    private KeepAlive keepAlive;
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

    public Builder message(Message m) {
      if (messages == null) {
        messages = new ArrayList<>();
      }
      messages.add(m);
      return this;
    }

    public Builder messages(List<Message> ms) {
      if (messages == null) {
        messages = new ArrayList<>();
      }
      messages.addAll(ms);
      return this;
    }

    public Builder tool(Tool t) {
      if (tools == null) {
        tools = new ArrayList<>();
      }
      tools.add(t);
      return this;
    }

    public Builder tools(List<Tool> ts) {
      if (tools == null) {
        tools = new ArrayList<>();
      }
      tools.addAll(ts);
      return this;
    }

    public Builder format(Format v) {
      format = v;
      return this;
    }

    public Builder options(Options v) {
      options = v;
      return this;
    }

    public Builder stream(Boolean v) {
      stream = v;
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

    public ChatRequest build() {
      return new ChatRequest(
          model,
          messages,
          tools,
          format,
          options,
          stream,
          keepAlive,
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
