package core.llm.common;

/** A 5xx reply or an engine failure on the server. */
public class ServerErrorException extends LlmException {
  public ServerErrorException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.SERVER_ERROR, message, context, cause);
  }

  public ServerErrorException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
