package core.llm.common;

/** The connection could not be made, or broke before a reply began. */
public class ConnectionException extends LlmException {
  public ConnectionException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.CONNECTION, message, context, cause);
  }

  public ConnectionException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
