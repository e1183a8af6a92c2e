package core.llm.providers.base;

import core.llm.common.LlmException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * A stream that failed before any request was sent (the request itself was invalid). It behaves
 * like a transport stream that failed at once: no chunk, the exception handler once, a failed
 * result; so callers need no second error path.
 */
public final class FailedStream<T, R> implements ResponseStream<T, R> {
  private final Context context;
  private final LlmException error;
  private boolean reported;
  private boolean cancelled;

  public FailedStream(Vertx vertx, LlmException error) {
    this.context = vertx.getOrCreateContext();
    this.error = error;
  }

  @Override
  public Future<R> result() {
    return Future.failedFuture(error);
  }

  @Override
  public Future<Void> cancel() {
    context.runOnContext(v -> cancelled = true);
    return Future.succeededFuture();
  }

  @Override
  public ResponseStream<T, R> exceptionHandler(Handler<Throwable> handler) {
    if (handler != null) {
      // Asynchronously, as a real stream would, so the caller can finish wiring first.
      context.runOnContext(v -> {
        if (!reported && !cancelled) {
          reported = true;
          handler.handle(error);
        }
      });
    }
    return this;
  }

  @Override
  public ResponseStream<T, R> handler(Handler<T> handler) {
    return this;
  }

  @Override
  public ResponseStream<T, R> pause() {
    return this;
  }

  @Override
  public ResponseStream<T, R> resume() {
    return this;
  }

  @Override
  public ResponseStream<T, R> fetch(long amount) {
    return this;
  }

  @Override
  public ResponseStream<T, R> endHandler(Handler<Void> endHandler) {
    return this;
  }
}
