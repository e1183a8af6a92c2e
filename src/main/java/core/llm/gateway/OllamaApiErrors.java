package core.llm.gateway;

import core.llm.providers.ollama.models.ErrorResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The Ollama front end's one error writer (its calls and the forwarded management calls). */
final class OllamaApiErrors {
  private OllamaApiErrors() {}

  /** Ollama's error body, {@code {"error": "..."}}, with the gateway's status for the failure. */
  static void write(RoutingContext rc, Throwable failure) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    RequestNotes.of(rc).failure = failure;
    GatewayErrors.retryAfter(failure)
        .ifPresent(
            d -> response.putHeader("retry-after", Long.toString(Math.max(1, d.toSeconds()))));
    response
        .setStatusCode(GatewayErrors.status(failure))
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(Bodies.json(new ErrorResponse(GatewayErrors.message(failure), null, null)));
  }
}
