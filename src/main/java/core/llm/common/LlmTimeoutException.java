package core.llm.common;

import java.time.Duration;

/** A timeout fired; the connection was closed. {@link #phase()} says which one. */
public class LlmTimeoutException extends LlmException {
  /** Which limit was reached. */
  public enum Phase {
    /** Opening the TCP (and TLS) connection. */
    CONNECT,
    /** Waiting for the response headers; for Ollama this includes loading the model. */
    FIRST_BYTE,
    /** Silence between two chunks of a body. */
    IDLE,
    /** The whole exchange, start to end. */
    TOTAL
  }

  private final Phase phase;
  private final Duration limit;

  public LlmTimeoutException(String message, Phase phase, Duration limit, ErrorContext context) {
    super(ErrorKind.TIMEOUT, message, context, null);
    this.phase = phase;
    this.limit = limit;
  }

  public Phase phase() {
    return phase;
  }

  public Duration limit() {
    return limit;
  }
}
