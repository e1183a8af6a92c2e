package core.llm.observability;

/**
 * Tracing hook: told when each request starts, gets its first token (streams), ends and fails, so
 * an application can plug OpenTelemetry or its own tracer. Every method of one request receives the
 * same {@link RequestContext}; attach a span to it in {@link #onStart} and end the span in {@link
 * #onEnd}.
 *
 * <p>Called synchronously on the thread that saw the event (often a Vert.x event loop): must be
 * quick and must not block. Exceptions are caught and ignored so a faulty listener cannot fail a
 * request. {@link #onError} is called just before {@link #onEnd} for a failed request.
 */
public interface RequestListener {

  /** The request is about to be sent. */
  default void onStart(RequestContext ctx) {}

  /** Streams only: the first chunk with content, thinking or a tool call arrived. */
  default void onFirstToken(RequestContext ctx) {}

  /** The request failed (cancellation included); {@link #onEnd} follows. */
  default void onError(RequestContext ctx, Throwable error) {}

  /** The request ended, in success or failure; called exactly once per request that started. */
  default void onEnd(RequestContext ctx, RequestSummary summary) {}
}
