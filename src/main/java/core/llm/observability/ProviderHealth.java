package core.llm.observability;

import core.llm.common.ErrorKind;
import java.time.Instant;

/**
 * What is known of one provider's health, from the outcome of every request (passive) and, when
 * enabled, a periodic {@code health()} probe (active).
 *
 * @param provider provider name
 * @param state current state
 * @param lastErrorKind kind of the last failure, null if none
 * @param lastErrorAt when it happened, null if never
 * @param lastSuccessAt last success of a request or probe, null if never
 * @param lastProbeAt last active probe, null if never probed
 * @param lastProbeLatencyMs that probe's latency, -1 if never probed
 */
public record ProviderHealth(
    String provider,
    State state,
    ErrorKind lastErrorKind,
    Instant lastErrorAt,
    Instant lastSuccessAt,
    Instant lastProbeAt,
    long lastProbeLatencyMs) {

  /** A provider's state. */
  public enum State {
    /** Nothing seen yet. */
    UNKNOWN,
    /** The last request or probe succeeded, or failed in a way that proves the server answered. */
    UP,
    /** The last request or probe could not reach it or the server failed. */
    DOWN,
    /** The router's breaker is open: requests skip it until the cooldown ends. */
    COOLING_DOWN
  }
}
