package core.llm.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The built-in dashboard: its page at {@code /ui} (plain HTML, JavaScript and CSS from the class
 * path, no network needed) and the traffic figures it polls at {@code GET /api/v1/activity}. The
 * page itself is open, as it holds no data; the figures need a key whenever keys are configured,
 * like the monitoring document the page also reads.
 */
final class DashboardApi implements Api {
  /** What {@link RequestNotes#api} says for the dashboard's requests (not counted as traffic). */
  static final String API = "ui";

  private static final String ROOT = "core/llm/gateway/ui/";

  /** The page's files and their types: nothing else is served, so no path can reach further. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8");

  private final GatewayContext ctx;
  private final ActivityMeter meter;

  // read once each, on a worker (a class-path read can touch a jar on disk), then served from
  // memory; requests on several event loops may ask at once, hence the synchronized accessor
  private final Map<String, Future<Buffer>> loaded = new HashMap<>();

  DashboardApi(GatewayContext ctx, ActivityMeter meter) {
    this.ctx = ctx;
    this.meter = meter;
  }

  @Override
  public void mount(Router router) {
    router.get("/ui").handler(rc -> file(rc, "index.html"));
    router.get("/ui/").handler(rc -> file(rc, "index.html"));
    router.get("/ui/:file").handler(rc -> file(rc, rc.pathParam("file")));
    router.get("/api/v1/activity").handler(this::activity);
  }

  private void file(RoutingContext rc, String name) {
    RequestNotes.of(rc).api = API;
    String type = FILES.get(name);
    if (type == null) {
      rc.response()
          .setStatusCode(404)
          .putHeader("content-type", "text/plain; charset=utf-8")
          .end("no such dashboard file: " + name + " (the dashboard is at /ui)");
      return;
    }
    load(name)
        .onSuccess(
            body ->
                rc.response()
                    .putHeader("content-type", type)
                    // the page is small and changes with the gateway's version: always fresh
                    .putHeader("cache-control", "no-cache")
                    .end(body))
        .onFailure(
            e ->
                rc.response()
                    .setStatusCode(500)
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end(
                        "the dashboard file "
                            + name
                            + " could not be read from the class path ("
                            + e.getMessage()
                            + "): the gateway's jar is incomplete, rebuild it"));
  }

  private synchronized Future<Buffer> load(String name) {
    Future<Buffer> f = loaded.get(name);
    if (f == null || f.failed()) {
      f = ctx.vertx.executeBlocking(() -> read(name), false);
      loaded.put(name, f);
    }
    return f;
  }

  private static Buffer read(String name) throws IOException {
    try (InputStream in = DashboardApi.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IOException(ROOT + name + " is missing");
      }
      return Buffer.buffer(in.readAllBytes());
    }
  }

  private void activity(RoutingContext rc) {
    RequestNotes.of(rc).api = API;
    ctx.admission
        .admit(rc, null)
        .onSuccess(c -> RequestNotes.of(rc).caller = c)
        .onFailure(e -> OllamaApiErrors.write(rc, e))
        .onSuccess(caller -> meter.snapshot().onSuccess(body -> json(rc, body)));
  }

  private static void json(RoutingContext rc, JsonObject body) {
    rc.response().putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }
}
