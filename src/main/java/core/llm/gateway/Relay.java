package core.llm.gateway;

import core.llm.providers.base.ResponseStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * The one way an upstream answer reaches a client, for every front end: chunk by chunk with
 * end-to-end flow control, or whole.
 *
 * <ul>
 *   <li>Flow control: when the client's connection cannot take more (its write queue is full), the
 *       upstream stream is paused, which stops reading the back end's socket; the drain resumes it.
 *       The gateway holds at most one write queue per stream.
 *   <li>Cancellation: a client that goes away (closed connection, aborted HTTP/2 stream) cancels
 *       the upstream request at once, which closes the back end's connection: Ollama stops
 *       generating.
 *   <li>Status: the 200 head is written with the first chunk, so a failure before any chunk (no
 *       such model, back end down and no fallback) is a real HTTP error in the front end's shape. A
 *       failure after it is written in-band, as that API does it, and ends the response.
 * </ul>
 */
final class Relay {
  private Relay() {}

  /** Writes a failure that came before any byte of the answer: status, headers and error body. */
  @FunctionalInterface
  interface ErrorWriter {
    void write(RoutingContext rc, Throwable failure);
  }

  /** How one API frames a stream. One instance per request: encoders may keep state. */
  interface StreamEncoder<T, R> {
    /** Content type (and other headers) of the 200 response, set just before its first bytes. */
    void head(HttpServerResponse response);

    /** The bytes for one chunk; null or empty for none. */
    Buffer chunk(T item);

    /** The bytes after the last chunk (a done line, {@code [DONE]}, {@code message_stop}). */
    Buffer end(R result);

    /** A failure after the head was sent, in the API's in-band form. */
    Buffer error(Throwable failure);
  }

  /**
   * Streams {@code upstream} to the client. The returned future settles with the upstream result
   * once the response is ended (or the client is gone).
   */
  static <T, R> Future<R> stream(
      GatewayContext ctx,
      RoutingContext rc,
      ResponseStream<T, R> upstream,
      StreamEncoder<T, R> encoder,
      ErrorWriter errors) {
    HttpServerResponse response = rc.response();
    RequestNotes notes = RequestNotes.of(rc);
    notes.stream = true;
    ctx.track(upstream);
    response.exceptionHandler(e -> upstream.cancel());
    response.closeHandler(
        v -> {
          if (!response.ended()) {
            RequestNotes.of(rc).clientGone = true;
            upstream.cancel();
          }
        });
    Batch batch = new Batch(rc, upstream);
    upstream.handler(
        item -> {
          if (response.closed() || response.ended()) {
            return; // the client is gone: the cancel above is on its way
          }
          writeHead(response, encoder, notes);
          batch.add(encoder.chunk(item));
        });
    return upstream
        .result()
        .andThen(
            ar -> {
              ctx.untrack(upstream);
              if (response.closed() || response.ended()) {
                return;
              }
              if (ar.succeeded()) {
                writeHead(response, encoder, notes);
                response.end(concat(batch.take(), encoder.end(ar.result())));
              } else {
                notes.failure = ar.cause();
                // chunks waiting in the batch count as sent: the failure follows them in-band
                if (!response.headWritten() && batch.isEmpty()) {
                  errors.write(rc, ar.cause());
                } else {
                  response.end(concat(batch.take(), encoder.error(ar.cause())));
                }
              }
            });
  }

  /** The two as one write; never grows either (the first may be a back end's own buffer). */
  private static Buffer concat(Buffer first, Buffer then) {
    if (then == null || then.length() == 0) {
      return first;
    }
    if (first.length() == 0) {
      return then;
    }
    return Buffer.buffer(first.length() + then.length()).appendBuffer(first).appendBuffer(then);
  }

  /**
   * The chunks of one turn of the event loop, written as one: a back end's read often holds many
   * lines, and writing (and flushing) each on its own costs a system call and a chunk header per
   * token. The batch is written at the end of the turn that began it, so no chunk waits for a later
   * one; it holds at most what one read of the upstream socket produced.
   */
  private static final class Batch {
    private final RoutingContext rc;
    private final ResponseStream<?, ?> upstream;
    private final Context context;
    private Buffer pending;

    /** Whether {@link #pending} is this batch's own buffer (else it is the first piece itself). */
    private boolean owned;

    Batch(RoutingContext rc, ResponseStream<?, ?> upstream) {
      this.rc = rc;
      this.upstream = upstream;
      this.context = rc.vertx().getOrCreateContext(); // the request's event loop
    }

    void add(Buffer bytes) {
      if (bytes == null || bytes.length() == 0) {
        return;
      }
      if (pending == null) {
        // the first piece of a turn is kept as it is (a relayed back end's read is often the only
        // one); a second one starts a buffer of its own, as encoders' buffers are not to be grown
        pending = bytes;
        owned = false;
        context.runOnContext(v -> flush());
        return;
      }
      if (!owned) {
        pending =
            Buffer.buffer(Math.max(256, 2 * (pending.length() + bytes.length())))
                .appendBuffer(pending);
        owned = true;
      }
      pending.appendBuffer(bytes);
    }

    boolean isEmpty() {
      return pending == null;
    }

    /** What is waiting, for the response's last write (which then goes out with it). */
    Buffer take() {
      Buffer b = pending == null ? Buffer.buffer() : pending;
      pending = null;
      return b;
    }

    private void flush() {
      HttpServerResponse response = rc.response();
      if (pending == null || response.closed() || response.ended()) {
        return;
      }
      response.write(take());
      if (response.writeQueueFull()) {
        upstream.pause();
        response.drainHandler(d -> upstream.resume());
      }
    }
  }

  private static void writeHead(
      HttpServerResponse response, StreamEncoder<?, ?> encoder, RequestNotes notes) {
    // set once: the head goes out with the batch's write, so headWritten() stays false until then
    if (notes.firstChunkNanos == 0 && !response.headWritten()) {
      notes.firstChunkNanos = System.nanoTime() - notes.startNanos;
      response.setChunked(true);
      encoder.head(response);
    }
  }

  /**
   * Answers with the whole upstream result as one JSON body. The stream is consumed for the result
   * (so a client that goes away still cancels the upstream request, which a plain future could
   * not).
   */
  static <R> Future<R> whole(
      GatewayContext ctx,
      RoutingContext rc,
      ResponseStream<?, R> upstream,
      Function<R, Buffer> body,
      ErrorWriter errors) {
    HttpServerResponse response = rc.response();
    ctx.track(upstream);
    response.closeHandler(
        v -> {
          if (!response.ended()) {
            RequestNotes.of(rc).clientGone = true;
            upstream.cancel();
          }
        });
    return upstream
        .result()
        .andThen(ar -> ctx.untrack(upstream))
        .andThen(ar -> end(rc, ar, body, errors));
  }

  /** Answers with a future's value as one JSON body (calls that cannot be cancelled: listings). */
  static <R> Future<R> reply(
      RoutingContext rc, Future<R> result, Function<R, Buffer> body, ErrorWriter errors) {
    return result.andThen(ar -> end(rc, ar, body, errors));
  }

  private static <R> void end(
      RoutingContext rc,
      io.vertx.core.AsyncResult<R> ar,
      Function<R, Buffer> body,
      ErrorWriter errors) {
    HttpServerResponse response = rc.response();
    if (response.closed() || response.ended()) {
      return;
    }
    if (ar.failed()) {
      RequestNotes.of(rc).failure = ar.cause();
      errors.write(rc, ar.cause());
      return;
    }
    Buffer bytes;
    try {
      bytes = body.apply(ar.result());
    } catch (RuntimeException e) {
      RequestNotes.of(rc).failure = e;
      errors.write(rc, e);
      return;
    }
    response.putHeader("content-type", "application/json; charset=utf-8").end(bytes);
  }
}
