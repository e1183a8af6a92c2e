package core.llm.observability;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;

/**
 * The monitoring document for a plain Vert.x core HTTP server (no vertx-web needed): answers GET
 * and HEAD with {@link MonitoringReport#toJson()}, other methods with 405. The host decides the
 * path and any access control; for a Vert.x Web router use {@link MonitoringHandler}.
 */
public final class MonitoringHttpHandler implements Handler<HttpServerRequest> {
  private final MonitoringReport report;

  public MonitoringHttpHandler(MonitoringReport report) {
    this.report = Objects.requireNonNull(report, "report");
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    String body;
    try {
      body = report.toJson().encode();
    } catch (RuntimeException e) { // e.g. configuration not loaded yet
      request
          .response()
          .setStatusCode(503)
          .putHeader("Content-Type", "application/json")
          .end("{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
      return;
    }
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
