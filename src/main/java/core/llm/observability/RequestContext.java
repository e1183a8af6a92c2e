package core.llm.observability;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request as the observability layer sees it, handed to every {@link RequestListener} call of
 * that request. A listener can {@link #attribute(String, Object) attach} its own state (a tracing
 * span, a scope) at start and take it back at the end.
 *
 * <p>Labels: {@link #provider()} is the configured provider name, {@link #model()} the model as
 * requested (not capped: the metric label cap applies to metrics only).
 */
public final class RequestContext {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final String provider;
  private final String providerType;
  private final String model;
  private final Operation operation;
  private final long startNanos;
  private final Instant startedAt;
  private Map<String, Object>
      attributes; // created on first use: most requests have no listener state

  RequestContext(
      String provider, String providerType, String model, Operation operation, long startNanos) {
    this.provider = provider;
    this.providerType = providerType;
    this.model = model;
    this.operation = operation;
    this.startNanos = startNanos;
    this.startedAt = Instant.now();
  }

  /** Process-unique, increasing request number (appears in the request log as {@code id=}). */
  public long id() {
    return id;
  }

  public String provider() {
    return provider;
  }

  public String providerType() {
    return providerType;
  }

  /** The requested model, or null for operations without one (list models, health). */
  public String model() {
    return model;
  }

  public Operation operation() {
    return operation;
  }

  /** {@link System#nanoTime()} at the start. */
  public long startNanos() {
    return startNanos;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** A value a listener attached, or null. */
  public synchronized Object attribute(String key) {
    return attributes == null ? null : attributes.get(key);
  }

  /** Attaches a value for later calls of this request; returns the previous one. */
  public synchronized Object attribute(String key, Object value) {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    return attributes.put(key, value);
  }

  @Override
  public String toString() {
    return "RequestContext[id="
        + id
        + ", provider="
        + provider
        + ", model="
        + model
        + ", op="
        + operation.label()
        + "]";
  }
}
