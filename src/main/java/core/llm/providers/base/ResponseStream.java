package core.llm.providers.base;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * A streamed reply: a Vert.x {@link ReadStream} of chunks with real back-pressure (while paused,
 * the socket is not read), plus the aggregated final result and cancellation.
 *
 * <p>The request starts as soon as the stream is created; chunks are held (and the socket paused)
 * until a handler is set. Handlers run on the Vert.x context that created the stream.
 *
 * <p>A stream ends normally only after its end marker (Ollama {@code done:true} or {@code
 * status:"success"}, SSE {@code [DONE]} or {@code message_stop}). An error line, a cut connection,
 * a timeout or a body that ends without the marker fails it with a typed {@link
 * core.llm.common.LlmException}.
 *
 * <p>The terminal signal waits for its own handler (the end for the end handler, a failure for the
 * exception handler, or for {@link #result()} when that handler is not set), so handlers may be set
 * in any order and from any thread. The order of the last events is: the last chunk reaches the
 * handler, then the end (or exception) handler runs, then {@link #result()} settles.
 *
 * @param <T> the chunk type
 * @param <R> the aggregated result type
 */
public interface ResponseStream<T, R> extends ReadStream<T> {

  /**
   * The aggregated result. It settles after the terminal signal reached the consumer: after the
   * last chunk and the end handler (or the exception handler when the stream fails). If no handler
   * is set on the stream when this is called, the stream is consumed to feed the result.
   */
  Future<R> result();

  /**
   * Settles as {@link #result()} does, but never consumes the stream: for code that watches a
   * stream the application reads (a router, a residency tracker). Implementations whose {@code
   * result()} consumes an unread stream override it; the default is {@code result()}.
   */
  default Future<R> outcome() {
    return result();
  }

  /**
   * Closes the connection, which is how Ollama (and the other servers) stop generating. Works at
   * any moment, before the first byte included. After it no chunk, end or exception handler is
   * called; {@link #result()} fails with {@link core.llm.common.CancelledException} unless it had
   * already completed.
   */
  Future<Void> cancel();

  @Override
  ResponseStream<T, R> exceptionHandler(Handler<Throwable> handler);

  @Override
  ResponseStream<T, R> handler(Handler<T> handler);

  @Override
  ResponseStream<T, R> pause();

  @Override
  ResponseStream<T, R> resume();

  @Override
  ResponseStream<T, R> fetch(long amount);

  @Override
  ResponseStream<T, R> endHandler(Handler<Void> endHandler);
}
