package core.llm.providers.spi;

import core.llm.providers.base.ResponseStream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

/**
 * A streamed 2xx body handed to the consumer through {@link ChunkDelivery}: what {@link LineStream}
 * (decoded chunks) and {@link WireStream} (the server's bytes) share. The socket is read only while
 * the consumer can take more; while it is paused, silence is not the server's fault (the idle timer
 * waits). The {@link ResponseStream} methods hop onto the exchange's context.
 */
abstract class DeliveredExchange<T, R> extends Exchange implements ResponseStream<T, R> {
  final Promise<R> result = Promise.promise();
  final ChunkDelivery<T> delivery;
  private boolean responsePaused = true;

  DeliveredExchange(HttpTransport transport, HttpCall call) {
    super(transport, call, null);
    this.delivery =
        new ChunkDelivery<>(
            context,
            new ChunkDelivery.Flow() {
              @Override
              public void more() {
                resumeResponse();
              }

              @Override
              public void hold() {
                pauseResponse();
              }
            },
            new ChunkDelivery.Settle() {
              @Override
              public void ended() {
                result.tryComplete(endResult());
              }

              @Override
              public void failed(Throwable error) {
                result.tryFail(error);
              }
            });
  }

  /** What {@link #result()} completes with once the end reached the consumer. */
  abstract R endResult();

  /** Whether the end marker was seen: from then on the rest of the body is only drained. */
  abstract boolean markerSeen();

  final void pauseResponse() {
    idlePaused(true);
    if (response != null && !responsePaused && !markerSeen()) {
      responsePaused = true;
      response.pause();
    }
  }

  final void resumeResponse() {
    idlePaused(false);
    if (response != null && responsePaused && !terminated) {
      responsePaused = false;
      response.resume();
    }
  }

  /**
   * The end marker was seen: read the rest of the body (normally just the chunked terminator) so
   * the connection can be reused; timers stay armed in case a broken server never ends it.
   */
  final void drainRest() {
    if (!responseEnded() && response != null) {
      response.handler(b -> touch());
      resumeResponse();
    }
  }

  // ---- ReadStream / ResponseStream API (any thread) ----

  @Override
  public Future<R> result() {
    delivery.awaitResult();
    return result.future();
  }

  @Override
  public Future<R> outcome() {
    return result.future();
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    onContext(
        () -> {
          if (delivery.cancel()) {
            result.tryFail(cancelExchange());
          }
          done.complete();
        });
    return done.future();
  }

  @Override
  public ResponseStream<T, R> exceptionHandler(Handler<Throwable> h) {
    delivery.exceptionHandler(h);
    return this;
  }

  @Override
  public ResponseStream<T, R> handler(Handler<T> h) {
    delivery.handler(h);
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
  public ResponseStream<T, R> endHandler(Handler<Void> h) {
    delivery.endHandler(h);
    return this;
  }
}
