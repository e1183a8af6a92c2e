package core.llm.common;

/**
 * What went wrong, independent of the provider that reported it. Routing decides on the kind alone:
 * {@link #retryable()} says whether the same request may succeed elsewhere or later.
 */
public enum ErrorKind {
  /** The model (or another named resource) does not exist on that provider. */
  NOT_FOUND(false),
  /**
   * The model exists but lacks what the request needs (tools, thinking, vision, insert,
   * embedding...).
   */
  CAPABILITY_MISSING(false),
  /** The request is malformed or rejected as invalid. */
  BAD_REQUEST(false),
  /** Missing or wrong credentials (401/403). */
  UNAUTHORIZED(false),
  /** 429: too many requests; may carry Retry-After. */
  RATE_LIMITED(true),
  /** The server is busy or overloaded (Ollama 503 queue full, Anthropic 529). */
  OVERLOADED(true),
  /** The prompt does not fit the model's context. */
  CONTEXT_TOO_LONG(false),
  /** 5xx or an engine failure. */
  SERVER_ERROR(true),
  /** The connection could not be made or broke before a response began. */
  CONNECTION(true),
  /** A connect, first-byte, idle or total timeout fired. */
  TIMEOUT(true),
  /** An error reported inside a stream after status 200. */
  STREAM_ERROR(false),
  /**
   * A stream ended without its end marker ({@code done:true}, {@code [DONE]}, {@code
   * message_stop}).
   */
  INCOMPLETE_STREAM(false),
  /**
   * The server sent something that is not what the protocol promises (not JSON, over-long line...).
   */
  INVALID_RESPONSE(false),
  /** The caller cancelled the request or stream. */
  CANCELLED(false),
  /** An unexpected exception: a bug of this library or of a provider's code; never retried. */
  INTERNAL(false);

  private final boolean retryable;

  ErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether another attempt (later or on another provider) may succeed where this one failed. */
  public boolean retryable() {
    return retryable;
  }
}
