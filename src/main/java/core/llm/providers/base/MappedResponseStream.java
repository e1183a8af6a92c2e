package core.llm.providers.base;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.function.Function;

/**
 * A {@link ResponseStream} seen through conversions of its chunks and of its result. Flow control
 * and cancellation go straight to the underlying stream, so back-pressure is preserved.
 */
public final class MappedResponseStream<A, RA, B, RB> implements ResponseStream<B, RB> {
  private final ResponseStream<A, RA> source;
  private final Function<A, B> chunk;
  private final Function<RA, RB> result;

  public MappedResponseStream(
      ResponseStream<A, RA> source, Function<A, B> chunk, Function<RA, RB> result) {
    this.source = source;
    this.chunk = chunk;
    this.result = result;
  }

  @Override
  public Future<RB> result() {
    return source.result().map(result);
  }

  @Override
  public Future<RB> outcome() {
    return source.outcome().map(result);
  }

  @Override
  public Future<Void> cancel() {
    return source.cancel();
  }

  @Override
  public ResponseStream<B, RB> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ResponseStream<B, RB> handler(Handler<B> handler) {
    source.handler(handler == null ? null : a -> handler.handle(chunk.apply(a)));
    return this;
  }

  @Override
  public ResponseStream<B, RB> pause() {
    source.pause();
    return this;
  }

  @Override
  public ResponseStream<B, RB> resume() {
    source.resume();
    return this;
  }

  @Override
  public ResponseStream<B, RB> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ResponseStream<B, RB> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
