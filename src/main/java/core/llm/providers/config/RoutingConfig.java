package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import core.llm.common.ModelNames;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retry and circuit-breaker settings for the router. Missing values in the file take the defaults
 * below.
 *
 * @param maxAttempts attempts on one provider, first one included (default 3, at least 1)
 * @param initialBackoff first retry delay (default 200ms)
 * @param maxBackoff cap of the exponential backoff (default 10s, at least initialBackoff)
 * @param breakerFailureThreshold consecutive failures that open a provider's breaker (default 5)
 * @param breakerCooldown how long an open breaker stays open (default 30s)
 * @param contextFit what to do with a prompt longer than the context window it would run in
 *     (default {@link ContextFit#OFF})
 * @param contextWindowFallbacks model → models to send a prompt to when it does not fit the model's
 *     window ({@link ContextFit#FALLBACK}, and {@link ContextFit#RAISE} past the model's limit),
 *     tried in order; keys compared as model names, aliases allowed (default none)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RoutingConfig(
    int maxAttempts,
    @JsonSerialize(using = ToStringSerializer.class) Duration initialBackoff,
    @JsonSerialize(using = ToStringSerializer.class) Duration maxBackoff,
    int breakerFailureThreshold,
    @JsonSerialize(using = ToStringSerializer.class) Duration breakerCooldown,
    ContextFit contextFit,
    Map<String, List<String>> contextWindowFallbacks,
    Boolean sharedLoads) {

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

  /** Nulls become the defaults; the fallback lists are copied unmodifiable (order kept). */
  public RoutingConfig {
    initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
    maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
    breakerCooldown = breakerCooldown == null ? DEFAULT_BREAKER_COOLDOWN : breakerCooldown;
    contextFit = contextFit == null ? ContextFit.OFF : contextFit;
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (contextWindowFallbacks != null) {
      contextWindowFallbacks.forEach((k, v) -> copy.put(k, v == null ? List.of() : List.copyOf(v)));
    }
    contextWindowFallbacks = Collections.unmodifiableMap(copy);
    sharedLoads = sharedLoads == null ? Boolean.TRUE : sharedLoads;
  }

  /** Retry and breaker settings only: no context check. */
  public RoutingConfig(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      int breakerFailureThreshold,
      Duration breakerCooldown) {
    this(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        breakerFailureThreshold,
        breakerCooldown,
        ContextFit.OFF,
        Map.of(),
        true);
  }

  /** The context-window fallbacks of a model (names compared as model names), else empty. */
  public List<String> contextWindowFallbacks(String model) {
    for (Map.Entry<String, List<String>> e : contextWindowFallbacks.entrySet()) {
      if (ModelNames.sameModel(e.getKey(), model)) {
        return e.getValue();
      }
    }
    return List.of();
  }
}
