package core.llm.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A provider-neutral chat request.
 *
 * @param model the model, as the provider names it (aliases are resolved by the factory)
 * @param messages the conversation
 * @param tools functions the model may call (empty: none)
 * @param options sampling and limits
 * @param responseFormat structured output, or null
 * @param think ask for reasoning: null leaves the provider's default; see {@link Thinking} for how
 *     each provider maps it
 */
public record CompletionRequest(
    String model,
    List<ChatMessage> messages,
    List<ToolDefinition> tools,
    GenerationOptions options,
    ResponseFormat responseFormat,
    Thinking think) {

  public CompletionRequest {
    Objects.requireNonNull(model, "model");
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    options = options == null ? GenerationOptions.DEFAULTS : options;
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  public CompletionRequest withModel(String newModel) {
    if (newModel != null && newModel.equals(model)) {
      return this; // the router sends most requests on under the name they came with
    }
    return new CompletionRequest(newModel, messages, tools, options, responseFormat, think);
  }

  public CompletionRequest withResponseFormat(ResponseFormat format) {
    return new CompletionRequest(model, messages, tools, options, format, think);
  }

  /** Fluent builder. */
  public static final class Builder {
    private final String model;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<ToolDefinition> tools = new ArrayList<>();
    private GenerationOptions options;
    private ResponseFormat responseFormat;
    private Thinking think;

    private Builder(String model) {
      this.model = model;
    }

    public Builder system(String content) {
      return message(ChatMessage.system(content));
    }

    public Builder user(String content) {
      return message(ChatMessage.user(content));
    }

    public Builder message(ChatMessage message) {
      messages.add(message);
      return this;
    }

    public Builder messages(List<ChatMessage> all) {
      messages.addAll(all);
      return this;
    }

    public Builder tool(ToolDefinition tool) {
      tools.add(tool);
      return this;
    }

    public Builder options(GenerationOptions value) {
      options = value;
      return this;
    }

    public Builder responseFormat(ResponseFormat value) {
      responseFormat = value;
      return this;
    }

    /** Asks for reasoning: {@code Thinking.level("high")}, {@code Thinking.budget(8000)}... */
    public Builder think(Thinking value) {
      think = value;
      return this;
    }

    /** Thinking on at the provider's default effort, or off. */
    public Builder think(boolean enabled) {
      return think(Thinking.of(enabled));
    }

    public CompletionRequest build() {
      return new CompletionRequest(model, messages, tools, options, responseFormat, think);
    }
  }
}
