package core.llm.gateway;

import core.llm.factory.LlmProviderFactory.HostState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Which models every host has loaded, in flight and capacity, for the monitoring document and the
 * dashboard: one {@code /api/ps} per host at most every {@link #MAX_AGE_NANOS}, however many pages
 * poll, and callers that arrive while a refresh runs share it.
 */
final class HostsView {
  private static final long MAX_AGE_NANOS = 5_000_000_000L;

  private final GatewayContext ctx;
  private Future<JsonArray> current;
  private long refreshedAt;

  HostsView(GatewayContext ctx) {
    this.ctx = ctx;
  }

  synchronized Future<JsonArray> get() {
    long now = System.nanoTime();
    if (current == null || (current.isComplete() && now - refreshedAt > MAX_AGE_NANOS)) {
      refreshedAt = now;
      current = ctx.factory.refreshResidency().map(HostsView::toJson);
    }
    return current;
  }

  /** Names, models and counts only: no URL and no error text (which could quote one). */
  private static JsonArray toJson(List<HostState> hosts) {
    JsonArray out = new JsonArray();
    for (HostState h : hosts) {
      JsonArray loaded = new JsonArray();
      for (HostState.Loaded l : h.loaded()) {
        JsonObject m = new JsonObject().put("model", l.model());
        l.contextLength().ifPresent(n -> m.put("contextLength", n));
        loaded.add(m);
      }
      out.add(
          new JsonObject()
              .put("provider", h.provider())
              .put("refreshed", h.refreshed())
              .put("loaded", loaded)
              .put("inFlight", h.inFlight())
              .put("capacity", h.capacity()));
    }
    return out;
  }
}
