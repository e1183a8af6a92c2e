package core.llm.common;

/** The server is busy: Ollama's full queue (503), Anthropic's 529, any 503 with a message. */
public class OverloadedException extends LlmException {
  public OverloadedException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.OVERLOADED, message, context, cause);
  }

  public OverloadedException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
