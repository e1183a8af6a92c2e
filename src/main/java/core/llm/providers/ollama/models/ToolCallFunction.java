package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Map;

/**
 * The function part of a tool call in /api/chat messages.
 *
 * <p>{@code index} stays null when the source omitted it (Python and JS clients do) so replays are
 * lossless; {@link MessageToolCall#of} sets 0 because the server always writes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolCallFunction(
    @JsonProperty("index") Integer index,
    @JsonProperty("name") String name,
    @JsonProperty("arguments") @JsonDeserialize(using = ToolArgumentsDeserializer.class)
        Map<String, Object> arguments,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ToolCallFunction {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ToolCallFunction(Integer index, String name, Map<String, Object> arguments) {
    this(index, name, arguments, Map.of());
  }
}
