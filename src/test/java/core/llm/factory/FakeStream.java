package core.llm.factory;

import core.llm.common.CancelledException;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorContext;
import core.llm.common.FinishReason;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

/**
 * A scripted {@link ResponseStream} that keeps the contract of the real ones: tokens are emitted
 * (on the Vert.x context) only once a handler is set and only while there is demand ({@link
 * #pause()} stops it, {@link #fetch(long)} lets that many through, {@link #resume()} lets all
 * through); a failure before the first token fires on its own; the end waits for its end handler
 * (or for {@link #result()} to be asked), and {@code result()} settles after the end handler ran.
 */
final class FakeStream implements ResponseStream<CompletionDelta, CompletionResult> {
  private final Context ctx;
  private final String provider;
  private final Script script;
  private final Promise<CompletionResult> result = Promise.promise();
  private final StringBuilder all = new StringBuilder();
  private Handler<CompletionDelta> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean readyFired;
  private boolean resultAsked;
  private boolean ended;
  private boolean endDelivered;
  private int next;
  private long demand = Long.MAX_VALUE;
  private volatile boolean cancelled;
  private Throwable undelivered;

  FakeStream(Context ctx, String provider, Script script, Future<Void> ready) {
    this.ctx = ctx;
    this.provider = provider;
    this.script = script;
    if (script.failsBeforeFirstToken()) {
      ready.onComplete(v -> ctx.runOnContext(x -> fail(script.error())));
    } else {
      ready.onComplete(
          v ->
              ctx.runOnContext(
                  x -> {
                    synchronized (this) {
                      readyFired = true;
                    }
                    pump();
                  }));
    }
  }

  /** Hands tokens over while a handler is set and there is demand, then the end or failure. */
  private void pump() {
    ctx.runOnContext(
        v -> {
          while (true) {
            Handler<CompletionDelta> h;
            String token;
            synchronized (this) {
              if (cancelled
                  || !readyFired
                  || handler == null
                  || ended
                  || result.future().isComplete()) {
                return;
              }
              if (script.error() != null && next == script.failAfter()) {
                token = null;
              } else if (next == script.tokens().size()) {
                token = null;
              } else if (demand == 0) {
                return;
              } else {
                token = script.tokens().get(next++);
                if (demand != Long.MAX_VALUE) {
                  demand--;
                }
              }
              h = handler;
            }
            if (token == null) {
              if (script.error() != null) {
                fail(script.error());
              } else {
                end();
              }
              return;
            }
            all.append(token);
            h.handle(CompletionDelta.text(token));
          }
        });
  }

  private void end() {
    Handler<Void> h;
    synchronized (this) {
      ended = true;
      h = endHandler;
      if (h == null && !resultAsked) {
        return; // held until an end handler is set or result() is asked
      }
      endDelivered = true;
    }
    if (h != null) {
      h.handle(null);
    }
    result.tryComplete(value());
  }

  private CompletionResult value() {
    return new CompletionResult(
        provider, "m", ChatMessage.assistant(all.toString()), FinishReason.STOP, null);
  }

  /** Like every ResponseStream: a failure waits for an exception handler if none is set yet. */
  private void fail(Throwable t) {
    if (result.future().isComplete()) {
      return;
    }
    Handler<Throwable> h;
    synchronized (this) {
      h = exceptionHandler;
      if (h == null) {
        undelivered = t;
      }
    }
    if (h != null) {
      h.handle(t);
    }
    result.tryFail(t);
  }

  @Override
  public Future<CompletionResult> result() {
    boolean heldEnd;
    synchronized (this) {
      resultAsked = true;
      heldEnd = ended && !endDelivered;
      if (heldEnd) {
        endDelivered = true;
      }
    }
    if (handler == null) {
      handler(d -> {});
    }
    if (heldEnd) {
      result.tryComplete(value());
    }
    return result.future();
  }

  @Override
  public Future<Void> cancel() {
    cancelled = true;
    result.tryFail(new CancelledException("cancelled", ErrorContext.of(provider, null)));
    return Future.succeededFuture();
  }

  @Override
  public FakeStream exceptionHandler(Handler<Throwable> h) {
    Throwable late;
    synchronized (this) {
      exceptionHandler = h;
      late = h == null ? null : undelivered;
      undelivered = null;
    }
    if (late != null) {
      h.handle(late);
    }
    return this;
  }

  @Override
  public FakeStream handler(Handler<CompletionDelta> h) {
    synchronized (this) {
      handler = h;
    }
    pump();
    return this;
  }

  @Override
  public synchronized FakeStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public FakeStream resume() {
    synchronized (this) {
      demand = Long.MAX_VALUE;
    }
    pump();
    return this;
  }

  @Override
  public FakeStream fetch(long amount) {
    synchronized (this) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    }
    pump();
    return this;
  }

  @Override
  public FakeStream endHandler(Handler<Void> h) {
    boolean heldEnd;
    synchronized (this) {
      endHandler = h;
      heldEnd = h != null && ended && !endDelivered;
      if (heldEnd) {
        endDelivered = true;
      }
    }
    if (heldEnd) {
      h.handle(null);
      result.tryComplete(value());
    }
    return this;
  }
}
