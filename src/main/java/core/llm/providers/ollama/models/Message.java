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

/**
 * A chat message of /api/chat (request history and response), also seed messages of create/show.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Message(
    @JsonProperty("role") String role,
    @JsonProperty("content") String content,
    @JsonProperty("thinking") String thinking,
    @JsonProperty("images") List<String> images,
    @JsonProperty("tool_calls") List<MessageToolCall> toolCalls,
    @JsonProperty("tool_name") String toolName,
    @JsonProperty("tool_call_id") String toolCallId,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  public Message {
    extra = Wire.extra(extra);
  }

  public static Message system(String content) {
    return builder(SYSTEM).content(content).build();
  }

  public static Message user(String content) {
    return builder(USER).content(content).build();
  }

  public static Message assistant(String content) {
    return builder(ASSISTANT).content(content).build();
  }

  /** A tool result; {@code toolCallId} may be null when the call carried no id. */
  public static Message tool(String toolName, String content, String toolCallId) {
    return builder(TOOL).toolName(toolName).content(content).toolCallId(toolCallId).build();
  }

  public static Builder builder(String role) {
    return new Builder(role);
  }

  /** Builds messages; images go through {@link Images} so data URIs never reach the server. */
  public static final class Builder {
    private final String role;
    private String content;
    private String thinking;
    private List<String> images;
    private List<MessageToolCall> toolCalls;
    private String toolName;
    private String toolCallId;
    // made on first use: most requests set none
    private Map<String, Object> extra;

    private Builder(String role) {
      this.role = role;
    }

    public Builder content(String content) {
      this.content = content;
      return this;
    }

    public Builder thinking(String thinking) {
      this.thinking = thinking;
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

    private Builder addImage(String base64) {
      if (images == null) {
        images = new ArrayList<>();
      }
      images.add(base64);
      return this;
    }

    public Builder toolCall(MessageToolCall call) {
      if (toolCalls == null) {
        toolCalls = new ArrayList<>();
      }
      toolCalls.add(call);
      return this;
    }

    public Builder toolCalls(List<MessageToolCall> calls) {
      calls.forEach(this::toolCall);
      return this;
    }

    public Builder toolName(String toolName) {
      this.toolName = toolName;
      return this;
    }

    public Builder toolCallId(String toolCallId) {
      this.toolCallId = toolCallId;
      return this;
    }

    public Builder extra(String key, Object value) {
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(key, value);
      return this;
    }

    public Message build() {
      // the server always writes content; an assistant turn with only tool calls sends ""
      String c = content == null && toolCalls != null ? "" : content;
      return new Message(role, c, thinking, images, toolCalls, toolName, toolCallId, extra);
    }
  }
}
