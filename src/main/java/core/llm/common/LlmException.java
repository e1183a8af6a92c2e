package core.llm.common;

import java.time.Duration;
import java.util.Optional;

/**
 * Base of every error this library raises. Unchecked, typed by subclass and by {@link #kind()}, and
 * carrying what a caller needs to act: the HTTP status (0 when there was none), the server's own
 * message, the provider and the endpoint.
 */
public class LlmException extends RuntimeException {
  private final ErrorKind kind;
  private final ErrorContext context;

  public LlmException(ErrorKind kind, String message, ErrorContext context, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.context = context == null ? ErrorContext.NONE : context;
  }

  public ErrorKind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }

  /** HTTP status, or 0 when the failure happened without one (connection, timeout, stream). */
  public int status() {
    return context.status();
  }

  /** The server's own error text, exactly as sent, when there was one. */
  public Optional<String> serverMessage() {
    return Optional.ofNullable(context.serverMessage());
  }

  /** Name of the provider that failed, when known. */
  public Optional<String> provider() {
    return Optional.ofNullable(context.provider());
  }

  /** The endpoint (for example {@code POST /api/chat}) that failed, when known. */
  public Optional<String> endpoint() {
    return Optional.ofNullable(context.endpoint());
  }

  /** How long the server asked us to wait (Retry-After), when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(context.retryAfter());
  }

  public ErrorContext context() {
    return context;
  }
}
