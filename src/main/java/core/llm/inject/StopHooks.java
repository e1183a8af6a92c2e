package core.llm.inject;

import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resources the module created (the default Vert.x, the shared OllamaClient) and therefore owns:
 * {@link LlmService#stop()} closes them, newest first. Resources the host bound itself are never
 * registered here, so the host keeps closing its own Vert.x.
 */
@Singleton
final class StopHooks {
  private final List<Supplier<Future<?>>> hooks = new ArrayList<>();

  synchronized void add(Supplier<Future<?>> hook) {
    hooks.add(hook);
  }

  /**
   * Runs every hook, newest first, each after the previous completed (failures do not stop the
   * rest).
   */
  Future<Void> runAll() {
    List<Supplier<Future<?>>> copy;
    synchronized (this) {
      copy = new ArrayList<>(hooks);
      hooks.clear();
    }
    Future<?> chain = Future.succeededFuture();
    for (int i = copy.size() - 1; i >= 0; i--) {
      Supplier<Future<?>> h = copy.get(i);
      chain =
          chain.eventually(
              () -> {
                try {
                  return h.get();
                } catch (RuntimeException e) {
                  return Future.failedFuture(e);
                }
              });
    }
    return chain.transform(ar -> Future.succeededFuture());
  }
}
