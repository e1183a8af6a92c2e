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
 * A scripted {@link ResponseStream}: tokens are emitted (on the Vert.x context) only once a handler
 * is set, as the real streams hold chunks; a failure before the first token fires on its own.
 */
final class FakeStream implements ResponseStream<CompletionDelta, CompletionResult> {
  private final Context ctx;
  private final String provider;
  private final Script script;
  private final Promise<CompletionResult> result = Promise.promise();
  private Handler<CompletionDelta> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean started;
  private volatile boolean cancelled;

  FakeStream(Context ctx, String provider, Script script, Future<Void> ready) {
    this.ctx = ctx;
    this.provider = provider;
    this.script = script;
    if (script.failsBeforeFirstToken()) {
      ready.onComplete(v -> ctx.runOnContext(x -> fail(script.error())));
    } else {
      ready.onComplete(v -> ctx.runOnContext(x -> {
        synchronized (this) {
          readyFired = true;
        }
        maybeStart();
      }));
    }
  }

  private boolean readyFired;

  private void maybeStart() {
    synchronized (this) {
      if (started || handler == null || !readyFired || cancelled) {
        return;
      }
      started = true;
    }
    ctx.runOnContext(v -> emit());
  }

  private void emit() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < script.tokens().size(); i++) {
      if (cancelled) {
        return;
      }
      if (script.error() != null && i == script.failAfter()) {
        fail(script.error());
        return;
      }
      all.append(script.tokens().get(i));
      handler.handle(CompletionDelta.text(script.tokens().get(i)));
    }
    if (script.error() != null) {
      fail(script.error());
      return;
    }
    result.tryComplete(new CompletionResult(provider, "m", ChatMessage.assistant(all.toString()), FinishReason.STOP, null));
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private Throwable undelivered;

  /** Like every ResponseStream: a failure waits for an exception handler if none is set yet. */
  private void fail(Throwable t) {
    if (!result.tryFail(t)) {
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
  }

  @Override
  public Future<CompletionResult> result() {
    if (handler == null) {
      handler(d -> { });
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
    handler = h;
    maybeStart();
    return this;
  }

  @Override
  public FakeStream pause() {
    return this;
  }

  @Override
  public FakeStream resume() {
    return this;
  }

  @Override
  public FakeStream fetch(long amount) {
    return this;
  }

  @Override
  public FakeStream endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }
}
