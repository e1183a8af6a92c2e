package core.llm.inject;

import io.vertx.core.Future;

/**
 * Background work a module contributes (a health probe, an event-bus consumer): {@link
 * LlmService#start()} starts every bound {@code Startable} after the configuration is loaded and
 * the factory started, and {@link LlmService#stop()} stops them first, newest first. Register with
 * {@code Multibinder.newSetBinder(binder(), Startable.class).addBinding().to(...)}.
 */
public interface Startable {

  Future<Void> start();

  /** Must leave no timer or consumer behind. */
  Future<Void> stop();
}
