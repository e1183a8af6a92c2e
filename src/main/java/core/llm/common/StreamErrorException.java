package core.llm.common;

/**
 * The server reported an error inside a stream after answering 200; content may have been delivered
 * before it.
 */
public class StreamErrorException extends LlmException {
  public StreamErrorException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.STREAM_ERROR, message, context, cause);
  }

  public StreamErrorException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
