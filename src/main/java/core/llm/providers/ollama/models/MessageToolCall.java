package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tool call on an assistant message of /api/chat (and, rarely, on /api/generate responses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageToolCall(
    @JsonProperty("id") String id,
    @JsonProperty("function") ToolCallFunction function,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public MessageToolCall {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public MessageToolCall(String id, ToolCallFunction function) {
    this(id, function, Map.of());
  }

  /** A call with index 0 and no id; the argument order given is kept on the wire. */
  public static MessageToolCall of(String name, Map<String, ?> arguments) {
    return new MessageToolCall(
        null,
        new ToolCallFunction(
            0, name, arguments == null ? new LinkedHashMap<>() : new LinkedHashMap<>(arguments)));
  }

  /**
   * A call from OpenAI-style string arguments.
   *
   * @throws IllegalArgumentException if the string is not a JSON object
   */
  public static MessageToolCall ofJson(String name, String jsonArguments) {
    return new MessageToolCall(
        null, new ToolCallFunction(0, name, ToolArgumentsDeserializer.parseObject(jsonArguments)));
  }

  public MessageToolCall withId(String newId) {
    return new MessageToolCall(newId, function, extra);
  }
}
