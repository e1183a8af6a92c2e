package core.llm.common;

/** The server rejected the request as invalid (400, 422). */
public class BadRequestException extends LlmException {
  public BadRequestException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.BAD_REQUEST, message, context, cause);
  }

  public BadRequestException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
