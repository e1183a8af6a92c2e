package core.llm.common;

import java.util.OptionalInt;

/**
 * The prompt does not fit the model's context window. When this library found it before sending
 * (the router's context fit), both numbers are here as well as in the message; a server's own
 * refusal carries only its message.
 */
public class ContextTooLongException extends LlmException {
  private final int tokens;
  private final int window;

  public ContextTooLongException(String message, ErrorContext context, Throwable cause) {
    this(message, context, cause, -1, -1);
  }

  public ContextTooLongException(String message, ErrorContext context) {
    this(message, context, null);
  }

  /**
   * @param tokens the tokens the request needs (the prompt, plus the answer's {@code maxTokens})
   * @param window the context window it would run in
   */
  public ContextTooLongException(String message, ErrorContext context, int tokens, int window) {
    this(message, context, null, tokens, window);
  }

  private ContextTooLongException(
      String message, ErrorContext context, Throwable cause, int tokens, int window) {
    super(ErrorKind.CONTEXT_TOO_LONG, message, context, cause);
    this.tokens = tokens;
    this.window = window;
  }

  /** The tokens the request needs (prompt plus the answer's maxTokens), when counted here. */
  public OptionalInt tokens() {
    return tokens < 0 ? OptionalInt.empty() : OptionalInt.of(tokens);
  }

  /** The context window the request would have run in, when known here. */
  public OptionalInt window() {
    return window < 0 ? OptionalInt.empty() : OptionalInt.of(window);
  }
}
