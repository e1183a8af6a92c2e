package core.llm.gateway;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.factory.ServiceUnavailableException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one rule from a failure to the HTTP status the gateway answers with; each front end wraps it
 * in its own error body. Failures of a back end are the gateway's failures to its client (502, 503,
 * 504), except those about the request itself (404 unknown model, 400 bad request or context too
 * long), which the client can fix and so gets as its own.
 */
final class GatewayErrors {
  private GatewayErrors() {}

  static int status(Throwable failure) {
    if (failure instanceof GatewayAccessException e) {
      return e.status();
    }
    if (failure instanceof ServiceUnavailableException) {
      return 503;
    }
    if (!(failure instanceof LlmException e)) {
      return failure instanceof IllegalArgumentException ? 400 : 500;
    }
    return switch (e.kind()) {
      case NOT_FOUND -> 404;
      case BAD_REQUEST, CAPABILITY_MISSING, CONTEXT_TOO_LONG -> 400;
      case RATE_LIMITED -> 429;
      case OVERLOADED -> 503;
      case TIMEOUT -> 504;
      // the back end refused the gateway's credentials: not the caller's key being bad
      case UNAUTHORIZED,
          SERVER_ERROR,
          CONNECTION,
          STREAM_ERROR,
          INCOMPLETE_STREAM,
          INVALID_RESPONSE ->
          502;
      case CANCELLED -> 503;
      case INTERNAL -> 500;
    };
  }

  /** The kind of a failure, INTERNAL for what is not an {@link LlmException}. */
  static ErrorKind kind(Throwable failure) {
    return failure instanceof LlmException e ? e.kind() : ErrorKind.INTERNAL;
  }

  /** When the client may try again, for a Retry-After header. */
  static Optional<Duration> retryAfter(Throwable failure) {
    return failure instanceof LlmException e ? e.retryAfter() : Optional.empty();
  }

  /**
   * Answers {@code rc} with a failure that came before any byte of the answer, in a front end's
   * error shape: the status of {@link #status}, a Retry-After (whole seconds, rounded up: retrying
   * early would only be refused again) when the failure says when, and {@code body} as JSON.
   * Nothing is written when the response has begun or the client is gone.
   */
  static void respond(
      RoutingContext rc, Throwable failure, BiFunction<Throwable, Integer, Object> body) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    RequestNotes.of(rc).failure = failure;
    int status = status(failure);
    retryAfter(failure)
        .ifPresent(
            d ->
                response.putHeader(
                    "retry-after", Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(Bodies.json(body.apply(failure, status)));
  }

  /** The message a client reads: the failure's own, which the library keeps free of secrets. */
  static String message(Throwable failure) {
    String m = failure.getMessage();
    return m == null || m.isBlank() ? failure.getClass().getSimpleName() : m;
  }
}
