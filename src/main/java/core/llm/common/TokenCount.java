package core.llm.common;

/**
 * How many input tokens a request would use, and how the number was found.
 *
 * @param tokens the count
 * @param exact true when the provider's own tokenizer or count endpoint gave it; false for an
 *     estimate (about four characters per token, plus a few per message), which can be off by a
 *     third either way
 * @param method what counted it, for the reader: {@code "anthropic count_tokens"}, {@code
 *     "o200k_base"}, {@code "estimate"}...
 */
public record TokenCount(int tokens, boolean exact, String method) {

  /** Tokens a chat template adds per message, in the estimate (role markers, separators). */
  static final int PER_MESSAGE = 4;

  /**
   * The estimate for a request: its text (system, messages, tool definitions) at four characters
   * per token, plus {@value #PER_MESSAGE} per message.
   */
  public static TokenCount estimate(CompletionRequest request) {
    long chars = 0;
    for (ChatMessage m : request.messages()) {
      chars += m.content() == null ? 0 : m.content().length();
      chars += m.thinking() == null ? 0 : m.thinking().length();
      for (ToolCall c : m.toolCalls()) {
        chars += c.name().length() + String.valueOf(c.arguments()).length();
      }
    }
    for (ToolDefinition t : request.tools()) {
      chars += t.name().length() + (t.description() == null ? 0 : t.description().length());
      chars += t.parameters() == null ? 0 : t.parameters().toString().length();
    }
    long tokens = (chars + 3) / 4 + (long) PER_MESSAGE * request.messages().size();
    return new TokenCount((int) Math.min(Integer.MAX_VALUE, tokens), false, "estimate");
  }
}
