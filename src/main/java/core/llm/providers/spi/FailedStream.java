package core.llm.providers.spi;

import core.llm.common.LlmException;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A stream that failed before any request was sent (the request itself was invalid). It behaves
 * like a transport stream that failed at once, through the same {@link ChunkDelivery}: no chunk,
 * the exception handler once, then a failed result; so callers need no second error path.
 */
public final class FailedStream<T, R> implements ResponseStream<T, R> {
  private final LlmException error;
  private final Promise<R> result = Promise.promise();
  private final ChunkDelivery<T> delivery;

  public FailedStream(Vertx vertx, LlmException error) {
    this.error = error;
    Context context = vertx.getOrCreateContext();
    this.delivery =
        new ChunkDelivery<>(
            context,
            new ChunkDelivery.Flow() {
              @Override
              public void more() {}

              @Override
              public void hold() {}
            },
            new ChunkDelivery.Settle() {
              @Override
              public void ended() {}

              @Override
              public void failed(Throwable e) {
                result.tryFail(e);
              }
            });
    // On a later turn, as a real stream would fail, so the caller can finish wiring first.
    context.runOnContext(
        v -> {
          delivery.fail(error);
          delivery.deliver();
        });
  }

  @Override
  public Future<R> result() {
    delivery.awaitResult();
    return result.future();
  }

  @Override
  public Future<R> outcome() {
    return result.future();
  }

  /** Nothing to close; the result stays failed with the request's error. */
  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    delivery.onContext(
        () -> {
          if (delivery.cancel()) {
            result.tryFail(error);
          }
          done.complete();
        });
    return done.future();
  }

  @Override
  public ResponseStream<T, R> exceptionHandler(Handler<Throwable> handler) {
    delivery.exceptionHandler(handler);
    return this;
  }

  @Override
  public ResponseStream<T, R> handler(Handler<T> handler) {
    delivery.handler(handler);
    return this;
  }

  @Override
  public ResponseStream<T, R> pause() {
    delivery.pause();
    return this;
  }

  @Override
  public ResponseStream<T, R> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ResponseStream<T, R> fetch(long amount) {
    delivery.fetch(amount);
    return this;
  }

  @Override
  public ResponseStream<T, R> endHandler(Handler<Void> endHandler) {
    delivery.endHandler(endHandler);
    return this;
  }
}
