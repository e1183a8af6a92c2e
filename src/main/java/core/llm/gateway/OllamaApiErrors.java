package core.llm.gateway;

import core.llm.providers.ollama.models.ErrorResponse;
import io.vertx.ext.web.RoutingContext;

/** The Ollama front end's one error writer (its calls and the forwarded management calls). */
final class OllamaApiErrors {
  private OllamaApiErrors() {}

  /** Ollama's error body, {@code {"error": "..."}}, with the gateway's status for the failure. */
  static void write(RoutingContext rc, Throwable failure) {
    GatewayErrors.respond(
        rc, failure, (f, status) -> new ErrorResponse(GatewayErrors.message(f), null, null));
  }
}
