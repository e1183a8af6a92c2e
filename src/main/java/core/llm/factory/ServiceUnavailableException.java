package core.llm.factory;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every candidate provider for a request failed with a retryable error or was skipped (cooling down
 * after failures, removed by a reload). Kind OVERLOADED, status 503: the same request may succeed
 * later. {@link #attempts()} says, per provider, what happened; the cause is the last failure.
 * Messages carry error kinds and statuses only, never a server's text or a credential.
 */
public class ServiceUnavailableException extends LlmException {

  /**
   * One provider's outcome.
   *
   * @param provider its name
   * @param kind the error kind, or null when it was skipped without a call
   * @param status the HTTP status, 0 when none
   * @param reason short categorical reason ({@code "CONNECTION"}, {@code "cooling down"}...)
   */
  public record Attempt(String provider, ErrorKind kind, int status, String reason) {
    @Override
    public String toString() {
      return provider + ": " + reason + (status > 0 ? " (" + status + ")" : "");
    }
  }

  private final String model;
  private final List<Attempt> attempts;

  public ServiceUnavailableException(
      String model, List<Attempt> attempts, Duration retryAfter, Throwable cause) {
    super(
        ErrorKind.OVERLOADED,
        "No provider could serve model '"
            + model
            + "': "
            + attempts.stream().map(Attempt::toString).collect(Collectors.joining("; ", "[", "]")),
        new ErrorContext(null, null, 503, null, retryAfter),
        cause);
    this.model = model;
    this.attempts = List.copyOf(attempts);
  }

  /** The model of the request. */
  public String model() {
    return model;
  }

  /** What happened at each provider, in order (a provider appears once per attempt). */
  public List<Attempt> attempts() {
    return attempts;
  }
}
