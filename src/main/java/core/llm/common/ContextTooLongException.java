package core.llm.common;

/** The prompt does not fit the model's context window. */
public class ContextTooLongException extends LlmException {
  public ContextTooLongException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.CONTEXT_TOO_LONG, message, context, cause);
  }

  public ContextTooLongException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
