package core.llm.factory;

/** State of a provider's circuit breaker. */
public enum BreakerState {
  /** Taking traffic. */
  CLOSED,
  /** Skipped until its cooldown ends. */
  OPEN,
  /**
   * Cooldown over: one probe request is let through; its outcome closes or re-opens the breaker.
   */
  HALF_OPEN
}
