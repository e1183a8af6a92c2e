package core.llm.observability;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The monitoring document as a Vert.x Web handler, for the host's own router (vertx-web is an
 * optional dependency: only this class needs it):
 *
 * <pre>{@code
 * router.get("/llm/status").handler(new MonitoringHandler(new MonitoringReport(factory, configs, obs)));
 * }</pre>
 *
 * Protect the route as the rest of the host's admin endpoints; the document holds no secrets.
 */
public final class MonitoringHandler implements Handler<RoutingContext> {
  private final MonitoringHttpHandler delegate;

  public MonitoringHandler(MonitoringReport report) {
    this.delegate = new MonitoringHttpHandler(Objects.requireNonNull(report, "report"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    delegate.handle(ctx.request());
  }
}
