package core.llm.common;

import java.time.Duration;
import java.time.Instant;

/**
 * Result of a health check.
 *
 * @param up whether the provider answered as expected
 * @param latency how long the check took
 * @param detail version or error text, never a credential
 * @param checkedAt when
 */
public record HealthStatus(boolean up, Duration latency, String detail, Instant checkedAt) {}
