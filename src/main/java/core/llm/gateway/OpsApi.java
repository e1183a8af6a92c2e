package core.llm.gateway;

import core.llm.observability.HealthProbe;
import core.llm.observability.ProviderHealth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's operations pages: liveness and readiness for an orchestrator, Prometheus metrics,
 * and the monitoring document. Health is open to anyone who can reach the port (it says nothing but
 * up or not); metrics and the monitoring document need a key whenever keys are configured, like
 * every API call.
 */
final class OpsApi implements Api {
  /** How long a readiness check waits for a first probe when no provider has been seen yet. */
  private static final long FIRST_PROBE_WAIT_MS = 5_000;

  private final GatewayContext ctx;
  private final HealthProbe probe;
  private final Future<Void> firstProbe;

  /**
   * @param firstProbe the probe round started with the server: readiness waits for it (bounded)
   *     rather than answering from nothing
   */
  OpsApi(GatewayContext ctx, HealthProbe probe, Future<Void> firstProbe) {
    this.ctx = ctx;
    this.probe = probe;
    this.firstProbe = firstProbe;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    router.get("/api/v1/monitoring/providers").handler(this::monitoring);
  }

  private void live(RoutingContext rc) {
    RequestNotes.of(rc).api = "ops";
    json(rc, 200, new JsonObject().put("status", "live"));
  }

  /**
   * Ready when not shutting down and at least one provider is up. Before any request or probe has
   * told, one probe round runs (bounded) rather than answering from nothing.
   */
  private void ready(RoutingContext rc) {
    RequestNotes.of(rc).api = "ops";
    if (ctx.draining()) {
      json(rc, 503, new JsonObject().put("status", "draining").put("reason", "shutting down"));
      return;
    }
    List<ProviderHealth> seen = ctx.obs.health().snapshot();
    boolean anyKnown = seen.stream().anyMatch(h -> h.state() != ProviderHealth.State.UNKNOWN);
    Future<Void> known = anyKnown ? Future.succeededFuture() : boundedFirstProbe();
    known.onComplete(ar -> answerReady(rc));
  }

  private Future<Void> boundedFirstProbe() {
    Promise<Void> done = Promise.promise();
    long timer = ctx.vertx.setTimer(FIRST_PROBE_WAIT_MS, t -> done.tryComplete());
    // the first round if it is still running, else a new one (a probe in flight is not repeated)
    (firstProbe.isComplete() ? probe.probeNow() : firstProbe)
        .onComplete(
            ar -> {
              ctx.vertx.cancelTimer(timer);
              done.tryComplete();
            });
    return done.future();
  }

  private void answerReady(RoutingContext rc) {
    JsonObject providers = new JsonObject();
    boolean anyUp = false;
    for (ProviderHealth h : ctx.obs.health().snapshot()) {
      providers.put(h.provider(), h.state().name());
      anyUp |= h.state() == ProviderHealth.State.UP;
    }
    JsonObject body = new JsonObject().put("providers", providers);
    if (anyUp) {
      json(rc, 200, body.put("status", "ready"));
    } else {
      json(
          rc,
          503,
          body.put("status", "not ready")
              .put(
                  "reason",
                  providers.isEmpty()
                      ? "no provider is configured"
                      : "no provider is up: check that the back ends in the configuration are"
                          + " running and reachable from here"));
    }
  }

  private void metrics(RoutingContext rc) {
    RequestNotes.of(rc).api = "ops";
    admitted(rc)
        .onSuccess(
            caller -> {
              Optional<String> text = ctx.obs.metrics().prometheusText();
              if (text.isEmpty()) {
                json(
                    rc,
                    404,
                    new JsonObject()
                        .put(
                            "error",
                            "this gateway keeps no Prometheus registry (llm serve does; an"
                                + " embedding application passes an Observability on"
                                + " MicrometerMetricsSink.prometheus())"));
                return;
              }
              rc.response()
                  .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                  .end(text.get());
            });
  }

  private void monitoring(RoutingContext rc) {
    RequestNotes.of(rc).api = "ops";
    admitted(rc)
        .onSuccess(
            caller ->
                ctx.hosts
                    .get()
                    .onComplete(
                        hosts ->
                            json(
                                rc,
                                200,
                                ctx.monitoring
                                    .toJson()
                                    .put("hosts", hosts.result())
                                    .put("cluster", cluster()))));
  }

  /** This gateway's cluster: its member name and every member heard from (one when alone). */
  private io.vertx.core.json.JsonObject cluster() {
    core.llm.factory.SharedRoutingState shared = ctx.factory.sharedState();
    return new io.vertx.core.json.JsonObject()
        .put("shared", shared.shared())
        .put("self", shared.self())
        .put("members", new io.vertx.core.json.JsonArray(shared.members()));
  }

  /** A key when keys are configured; a refusal is written here and the future fails. */
  private Future<Caller> admitted(RoutingContext rc) {
    return ctx.admission
        .admit(rc, null)
        .onSuccess(c -> RequestNotes.of(rc).caller = c)
        .onFailure(e -> OllamaApiErrors.write(rc, e));
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
