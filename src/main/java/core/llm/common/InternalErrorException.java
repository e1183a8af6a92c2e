package core.llm.common;

/**
 * An exception outside the taxonomy (a {@code NullPointerException}, an {@code
 * IllegalStateException}...) thrown by this library or by a provider's code: a bug, not a server's
 * answer. Never retried, since the same code would fail the same way on the next attempt; the cause
 * is kept for the bug report.
 */
public class InternalErrorException extends LlmException {
  public InternalErrorException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.INTERNAL, message, context, cause);
  }
}
