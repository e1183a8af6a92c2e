package core.llm.factory;

import io.vertx.core.eventbus.EventBus;
import java.util.Objects;

/**
 * Publishes each {@link RoutingEvent} as a {@link io.vertx.core.json.JsonObject} ({@link
 * RoutingEvent#toJson()}) on the event bus at {@link RoutingEvent#ADDRESS} ({@code
 * core.llm.routing}), for metrics or dashboards living elsewhere in the application.
 */
public final class EventBusRoutingListener implements RoutingListener {
  private final EventBus bus;
  private final String address;

  public EventBusRoutingListener(EventBus bus) {
    this(bus, RoutingEvent.ADDRESS);
  }

  public EventBusRoutingListener(EventBus bus, String address) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.address = Objects.requireNonNull(address, "address");
  }

  @Override
  public void onEvent(RoutingEvent event) {
    bus.publish(address, event.toJson());
  }
}
