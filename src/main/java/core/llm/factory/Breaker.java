package core.llm.factory;

import core.llm.common.ErrorKind;
import java.time.Instant;

/**
 * One provider's circuit breaker: a small state machine rather than vertx-circuit-breaker, because
 * (1) its reset timer is a real Vert.x timer, so cooldown tests would have to wait, while this one
 * reads the injected {@link RoutingClock}; (2) it wraps one future per call, while a stream's
 * outcome is decided at its first token and we need to record failures the router has already
 * classified (only retryable kinds count); (3) half-open here admits exactly one probe.
 *
 * <p>CLOSED → OPEN after {@code threshold} consecutive retryable failures; OPEN → HALF_OPEN when
 * the cooldown has elapsed (on the next check); HALF_OPEN lets one probe through: success → CLOSED,
 * failure → OPEN for another cooldown. Non-retryable outcomes (a 400, a missing model) say the
 * server is up: they reset the count like a success. Thread-safe.
 */
final class Breaker {
  private BreakerState state = BreakerState.CLOSED;
  private int failures;
  private long openedAt;
  private boolean probing;
  private ErrorKind lastKind;
  private int lastStatus;
  private Instant lastAt;

  /** Consecutive retryable failures since the last success (what placement counts as load). */
  synchronized int failures() {
    return failures;
  }

  /** Whether a call may go now, without changing anything (for resolution and status). */
  synchronized boolean available(long now, long cooldownNanos) {
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> now - openedAt >= cooldownNanos;
      case HALF_OPEN -> !probing;
    };
  }

  /**
   * Admits a call or not. Returns the new state when this check moved OPEN → HALF_OPEN (so the
   * caller can publish it), else null; {@code admitted[0]} tells whether the call may go.
   */
  synchronized BreakerState tryAcquire(long now, long cooldownNanos, boolean[] admitted) {
    BreakerState changed = null;
    if (state == BreakerState.OPEN && now - openedAt >= cooldownNanos) {
      state = BreakerState.HALF_OPEN;
      probing = false;
      changed = BreakerState.HALF_OPEN;
    }
    switch (state) {
      case CLOSED -> admitted[0] = true;
      case OPEN -> admitted[0] = false;
      case HALF_OPEN -> {
        admitted[0] = !probing;
        probing = true;
      }
    }
    return changed;
  }

  /**
   * A call succeeded (or failed in a way that proves the server is up). Returns CLOSED if it
   * closed.
   */
  synchronized BreakerState onSuccess() {
    failures = 0;
    probing = false;
    if (state != BreakerState.CLOSED) {
      state = BreakerState.CLOSED;
      return BreakerState.CLOSED;
    }
    return null;
  }

  /** A call ended without an outcome (cancelled): frees the probe slot. */
  synchronized void onAbandon() {
    probing = false;
  }

  /** A retryable failure. Returns OPEN if this opened the breaker. */
  synchronized BreakerState onFailure(
      ErrorKind kind, int status, long now, Instant wall, int threshold) {
    lastKind = kind;
    lastStatus = status;
    lastAt = wall;
    failures++;
    probing = false;
    if (state == BreakerState.HALF_OPEN
        || (state == BreakerState.CLOSED && failures >= Math.max(1, threshold))) {
      state = BreakerState.OPEN;
      openedAt = now;
      return BreakerState.OPEN;
    }
    if (state == BreakerState.OPEN) {
      openedAt = now; // a straggler failing while open extends the cooldown
    }
    return null;
  }

  synchronized BreakerState state() {
    return state;
  }

  synchronized ProviderStatus status(
      String name, String type, int weight, boolean created, long now, long cooldownNanos) {
    BreakerState shown =
        state == BreakerState.OPEN && now - openedAt >= cooldownNanos
            ? BreakerState.HALF_OPEN
            : state;
    return new ProviderStatus(
        name, type, weight, created, shown, failures, lastKind, lastStatus, lastAt);
  }
}
