package core.llm.factory;

import core.llm.common.ErrorKind;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Something the router decided: a retry, a failover, a skipped provider, a breaker change, a
 * failure after the first token, or giving up. Categorical only: provider, model, error kind and
 * status, never a server message, a request body or a credential.
 *
 * @param type what happened
 * @param provider the provider concerned
 * @param model the model of the request (after alias resolution), null for breaker changes
 * @param kind the error kind that caused it, null when none
 * @param status the HTTP status of that error, 0 when none
 * @param attempt 1-based attempt number on this provider within the request (0 when not applicable)
 * @param delay the wait before a retry, {@link Duration#ZERO} otherwise
 * @param at when
 */
public record RoutingEvent(
    Type type,
    String provider,
    String model,
    ErrorKind kind,
    int status,
    int attempt,
    Duration delay,
    Instant at) {

  /** Event-bus address {@link EventBusRoutingListener} publishes to. */
  public static final String ADDRESS = "core.llm.routing";

  /** What happened. */
  public enum Type {
    /** The same provider is tried again after {@link #delay()}. */
    RETRY,
    /** The next candidate is tried after this provider failed. */
    FAILOVER,
    /** A provider was not tried: its breaker is open, or a reload removed it. */
    SKIPPED,
    /** A breaker opened: the provider is skipped for the cooldown. */
    BREAKER_OPEN,
    /** The cooldown elapsed: one probe request may go through. */
    BREAKER_HALF_OPEN,
    /** The probe (or any call) succeeded: the provider takes traffic again. */
    BREAKER_CLOSED,
    /** A stream failed after its first token; the caller gets a stream error, not a clean end. */
    MID_STREAM_FAILURE,
    /**
     * Every candidate failed or was skipped; the request failed with ServiceUnavailableException.
     */
    EXHAUSTED,
    /**
     * The chosen provider has the model loaded with another context length than the request's
     * {@code num_ctx}: Ollama reloads it. Placement prefers a matching copy; this is the case it
     * could not avoid.
     */
    RELOAD_CAUSED,
    /** A request went to an overflow provider: every other candidate was saturated or down. */
    OVERFLOW,
    /**
     * The prompt did not fit the window it would run in ({@code routing.contextFit: raise}): it was
     * sent with a larger {@code num_ctx}.
     */
    CONTEXT_RAISED,
    /**
     * The prompt did not fit the model's window: it was sent to this context-window fallback model
     * ({@code routing.contextWindowFallbacks}).
     */
    CONTEXT_FALLBACK
  }

  /**
   * The event as JSON (what goes on the event bus): type, provider, model, kind, status, attempt,
   * delayMs, at.
   */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("type", type.name()).put("provider", provider);
    if (model != null) {
      j.put("model", model);
    }
    if (kind != null) {
      j.put("kind", kind.name());
    }
    return j.put("status", status)
        .put("attempt", attempt)
        .put("delayMs", delay.toMillis())
        .put("at", at.toString());
  }
}
