package core.llm.common;

/**
 * A complete reply.
 *
 * @param provider name of the provider that answered
 * @param model the model that answered
 * @param message the assistant message: content, thinking and tool calls
 * @param finishReason why it ended
 * @param usage tokens and timings
 */
public record CompletionResult(
    String provider, String model, ChatMessage message, FinishReason finishReason, Usage usage) {

  public String content() {
    return message.content();
  }
}
