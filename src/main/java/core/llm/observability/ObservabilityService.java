package core.llm.observability;

import core.llm.factory.LlmProviderFactory;
import core.llm.inject.Startable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The running part of {@link ObservabilityModule}, started and stopped by {@code LlmService}:
 * follows model load/unload events on the event bus (for the monitoring document's loaded models)
 * and, when the module was given a period, probes every enabled provider's health on it.
 */
final class ObservabilityService implements Startable {
  private final Vertx vertx;
  private final LlmProviderFactory factory;
  private final Observability obs;
  private final Duration probePeriod;
  private MessageConsumer<JsonObject> events;
  private HealthProbe probe;

  ObservabilityService(
      Vertx vertx, LlmProviderFactory factory, Observability obs, Duration probePeriod) {
    this.vertx = vertx;
    this.factory = factory;
    this.obs = obs;
    this.probePeriod = probePeriod;
  }

  @Override
  public synchronized Future<Void> start() {
    if (events != null) {
      return Future.succeededFuture();
    }
    events = obs.listenModelEvents(vertx.eventBus());
    if (probePeriod != null) {
      probe = obs.healthProbe(vertx, factory, probePeriod).start();
    }
    return events.completion();
  }

  @Override
  public synchronized Future<Void> stop() {
    if (probe != null) {
      probe.stop();
      probe = null;
    }
    if (events == null) {
      return Future.succeededFuture();
    }
    Future<Void> f = events.unregister();
    events = null;
    return f;
  }

  /** The probe while running (for tests), or null. */
  synchronized HealthProbe probe() {
    return probe;
  }
}
