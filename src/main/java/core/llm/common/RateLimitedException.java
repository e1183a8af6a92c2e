package core.llm.common;

/** 429 Too Many Requests; {@link #retryAfter()} holds the server's Retry-After when it sent one. */
public class RateLimitedException extends LlmException {
  public RateLimitedException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.RATE_LIMITED, message, context, cause);
  }

  public RateLimitedException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
