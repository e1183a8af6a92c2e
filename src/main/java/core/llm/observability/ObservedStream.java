package core.llm.observability;

import core.llm.common.CancelledException;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorContext;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream seen by {@link Observability}: chunks pass through one pre-built handler that stamps
 * content chunks with a single {@link System#nanoTime()} and records time to first token and the
 * gap since the previous one (no allocation per chunk). The end is taken from the source's result,
 * which is only asked for once the caller set a handler or asked for the result itself, so an
 * unread stream stays unread (asking earlier would make the source consume itself). Flow control
 * goes straight to the source.
 */
final class ObservedStream<T> implements ResponseStream<T, CompletionResult> {
  private final ResponseStream<T, CompletionResult> source;
  private final Observability obs;
  private final RequestContext ctx;
  private final String prompt;
  private final MetricsSink.StreamTimer timer;

  /** Whether a chunk carries tokens (timed); a relayed stream's bytes always do. */
  private final java.util.function.Predicate<T> isToken;

  private final AtomicBoolean finished = new AtomicBoolean();
  private final Handler<T> onChunk = this::onChunk;
  private volatile Handler<T> handler;
  private Handler<Throwable> exceptionHandler;
  private Throwable undelivered;
  private Future<CompletionResult> observed;
  // Touched only on the stream's context (chunks are delivered there).
  private long firstNanos;
  private long lastNanos;
  private int chunks;

  ObservedStream(
      ResponseStream<T, CompletionResult> source,
      Observability obs,
      RequestContext ctx,
      String prompt,
      java.util.function.Predicate<T> isToken) {
    this.source = source;
    this.isToken = isToken;
    this.obs = obs;
    this.ctx = ctx;
    this.prompt = prompt;
    this.timer = obs.streamTimer(ctx);
    // Ours from the start: a stream can fail before anyone reads it (the router then moves on
    // without ever asking for its result), and that failure must still be recorded.
    source.exceptionHandler(this::onFailure);
  }

  private void onFailure(Throwable t) {
    end(Future.failedFuture(t));
    Handler<Throwable> h;
    synchronized (this) {
      h = exceptionHandler;
      if (h == null) {
        undelivered = t; // handed over when the caller sets its handler, as the source would
        return;
      }
    }
    h.handle(t);
  }

  private void onChunk(T d) {
    if (isToken.test(d)) {
      long now = System.nanoTime();
      if (chunks++ == 0) {
        firstNanos = now;
        timer.firstToken(now - ctx.startNanos());
        obs.firstToken(ctx);
      } else {
        timer.interToken(now - lastNanos);
      }
      lastNanos = now;
    }
    Handler<T> h = handler;
    if (h != null) {
      h.handle(d);
    }
  }

  /** A delta with text or tool calls: what time to first token and the gaps are measured by. */
  static boolean hasTokens(CompletionDelta d) {
    return !d.content().isEmpty() || !d.thinking().isEmpty() || !d.toolCalls().isEmpty();
  }

  /**
   * A relayed piece with tokens: a delta as {@link #hasTokens}, or the server's bytes (whole lines
   * of chunks; the gaps are then measured between network reads).
   */
  static boolean hasTokens(core.llm.providers.base.StreamPiece p) {
    return !(p instanceof core.llm.providers.base.StreamPiece.Delta d) || hasTokens(d.delta());
  }

  /**
   * Subscribes to the source's result once; the caller has started reading, so this consumes
   * nothing extra. The result handed out completes after the recording, so a caller who awaited it
   * sees the metrics and totals of this request.
   */
  private synchronized Future<CompletionResult> watch() {
    if (observed == null) {
      observed = source.result().andThen(this::end);
    }
    return observed;
  }

  private void end(AsyncResult<CompletionResult> ar) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    CompletionResult r = ar.succeeded() ? ar.result() : null;
    obs.finish(
        ctx,
        ar.cause(),
        true,
        r == null ? null : r.usage(),
        firstNanos,
        chunks,
        prompt,
        r != null && obs.logContent() ? r.content() : null);
  }

  @Override
  public Future<CompletionResult> result() {
    synchronized (this) {
      if (handler == null && observed == null) {
        source.handler(
            onChunk); // what the source does itself when read through result(), but counted
      }
    }
    return watch();
  }

  @Override
  public Future<Void> cancel() {
    if (finished.compareAndSet(false, true)) {
      obs.finish(
          ctx,
          new CancelledException("cancelled by caller", ErrorContext.of(ctx.provider(), null)),
          true,
          null,
          firstNanos,
          chunks,
          prompt,
          null);
    }
    return source.cancel();
  }

  @Override
  public ResponseStream<T, CompletionResult> exceptionHandler(Handler<Throwable> h) {
    Throwable pending;
    synchronized (this) {
      exceptionHandler = h;
      pending = h == null ? null : undelivered;
      undelivered = null;
    }
    if (pending != null) {
      h.handle(pending);
    }
    return this;
  }

  @Override
  public ResponseStream<T, CompletionResult> handler(Handler<T> h) {
    handler = h;
    if (h == null) {
      source.handler(null);
      return this;
    }
    source.handler(onChunk);
    watch();
    return this;
  }

  @Override
  public ResponseStream<T, CompletionResult> pause() {
    source.pause();
    return this;
  }

  @Override
  public ResponseStream<T, CompletionResult> resume() {
    source.resume();
    return this;
  }

  @Override
  public ResponseStream<T, CompletionResult> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ResponseStream<T, CompletionResult> endHandler(Handler<Void> h) {
    source.endHandler(h);
    return this;
  }
}
