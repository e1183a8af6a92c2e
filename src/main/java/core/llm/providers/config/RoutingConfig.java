package core.llm.providers.config;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;

/**
 * Retry and circuit-breaker settings for the router. Missing values in the file take the defaults
 * below.
 *
 * @param maxAttempts attempts on one provider, first one included (default 3, at least 1)
 * @param initialBackoff first retry delay (default 200ms)
 * @param maxBackoff cap of the exponential backoff (default 10s, at least initialBackoff)
 * @param breakerFailureThreshold consecutive failures that open a provider's breaker (default 5)
 * @param breakerCooldown how long an open breaker stays open (default 30s)
 */
public record RoutingConfig(
    int maxAttempts,
    @JsonSerialize(using = ToStringSerializer.class) Duration initialBackoff,
    @JsonSerialize(using = ToStringSerializer.class) Duration maxBackoff,
    int breakerFailureThreshold,
    @JsonSerialize(using = ToStringSerializer.class) Duration breakerCooldown) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
  public static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);

  public static final RoutingConfig DEFAULTS =
      new RoutingConfig(
          DEFAULT_MAX_ATTEMPTS,
          DEFAULT_INITIAL_BACKOFF,
          DEFAULT_MAX_BACKOFF,
          DEFAULT_BREAKER_FAILURE_THRESHOLD,
          DEFAULT_BREAKER_COOLDOWN);

  /** Null durations become the defaults. */
  public RoutingConfig {
    initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
    maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
    breakerCooldown = breakerCooldown == null ? DEFAULT_BREAKER_COOLDOWN : breakerCooldown;
  }
}
