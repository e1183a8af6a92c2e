package core.llm.common;

import java.util.Map;
import java.util.Objects;

/**
 * A call the model asks for, with its arguments as a JSON object. Providers that send arguments as
 * a JSON string (OpenAI) parse them before building this.
 *
 * @param id the provider's id of the call, used to answer it (may be null on old Ollama servers)
 * @param name the function name
 * @param arguments the parsed arguments, in the order the model wrote them
 */
public record ToolCall(String id, String name, Map<String, Object> arguments) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    arguments =
        arguments == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
  }
}
