package core.llm.factory;

import core.llm.common.ErrorKind;
import java.time.Instant;

/**
 * A configured, enabled provider and its health as the router sees it.
 *
 * @param name provider name
 * @param type provider type
 * @param weight load-balancing weight
 * @param created whether its instance has been created yet (providers are created on first use)
 * @param breaker breaker state
 * @param consecutiveFailures retryable failures since the last success
 * @param lastErrorKind kind of the last retryable failure, null if none
 * @param lastErrorStatus its HTTP status, 0 when none
 * @param lastErrorAt when it happened, null if never
 */
public record ProviderStatus(
    String name,
    String type,
    int weight,
    boolean created,
    BreakerState breaker,
    int consecutiveFailures,
    ErrorKind lastErrorKind,
    int lastErrorStatus,
    Instant lastErrorAt) {

  /** Whether the router would send it a request now. */
  public boolean healthy() {
    return breaker != BreakerState.OPEN;
  }
}
