package core.llm.common;

import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Composition for the per-request path. Most steps of a routed call (a lease, a capability check
 * answered from the cache, a model already loaded) are complete futures; composing on one still
 * costs a listener and a promise per step, per request.
 */
public final class Futures {
  private Futures() {}

  /**
   * {@code f.compose(next)}, except that a future that has already succeeded runs {@code next} at
   * once, on the calling thread, as {@code compose} would for a future without a context. A {@code
   * next} that throws gives a failed future, as in {@code compose}.
   */
  public static <T, U> Future<U> then(Future<T> f, Function<T, Future<U>> next) {
    if (!f.succeeded()) {
      return f.compose(next);
    }
    try {
      return next.apply(f.result());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
