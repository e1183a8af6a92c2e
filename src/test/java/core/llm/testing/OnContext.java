package core.llm.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs a raw Vert.x HTTP client chain on an event-loop context. Started from a test thread, the
 * chain {@code request().compose(send).compose(resp -> resp.body())} can attach the body handler
 * after the body has arrived: the body future then never completes (the trap in performance-notes).
 * On a context, each step runs as the previous one completes.
 */
public final class OnContext {
  private OnContext() {}

  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> promise = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              try {
                chain.get().onComplete(promise);
              } catch (RuntimeException e) {
                promise.tryFail(e);
              }
            });
    return promise.future();
  }
}
