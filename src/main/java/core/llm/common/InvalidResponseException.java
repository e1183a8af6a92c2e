package core.llm.common;

/**
 * The server sent what the protocol does not allow: a line that is not JSON, an over-long line, an
 * unexpected body.
 */
public class InvalidResponseException extends LlmException {
  public InvalidResponseException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.INVALID_RESPONSE, message, context, cause);
  }

  public InvalidResponseException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
