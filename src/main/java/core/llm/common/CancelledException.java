package core.llm.common;

/** The caller cancelled the request or stream; the connection was closed. */
public class CancelledException extends LlmException {
  public CancelledException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.CANCELLED, message, context, cause);
  }

  public CancelledException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
