package core.llm.factory;

/**
 * Told about every {@link RoutingEvent}. Called synchronously on the thread that made the decision
 * (often an event loop): must be quick and must not block. An exception thrown here is caught and
 * ignored, so a faulty listener cannot fail a request.
 */
@FunctionalInterface
public interface RoutingListener {
  void onEvent(RoutingEvent event);
}
