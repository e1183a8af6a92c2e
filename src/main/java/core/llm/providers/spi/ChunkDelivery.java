package core.llm.providers.spi;

import core.llm.providers.base.ResponseStream;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * The consumer side of a {@link ResponseStream}, shared by every implementation: the handlers, the
 * demand, the chunks waiting for demand, and the one terminal signal (end or failure), which is
 * delivered only after every chunk queued before it.
 *
 * <p>The terminal signal waits for its own handler (the end handler for an end, the exception
 * handler for a failure), or for {@code result()} to be asked when that handler is not set: a
 * consumer on another thread sets its handlers in separate hops, and a reply landing between two
 * hops must not be lost. Right after it, {@link Settle} settles {@code result()}, so whoever awaits
 * the result sees everything the handlers saw.
 *
 * <p>The producer (a socket, a script) enqueues chunks and calls {@link #deliver()}; this class
 * tells it through {@link Flow} when to produce more and when to hold, which is what makes
 * back-pressure real. Producer calls happen on the context; consumer calls may come from any thread
 * and hop onto it.
 */
public final class ChunkDelivery<T> {

  /** How the producer reacts to the consumer's appetite. */
  public interface Flow {
    /** The consumer wants more and nothing is queued: read or produce. */
    void more();

    /** The consumer cannot take more now: stop reading or producing. */
    void hold();
  }

  /** Settles the stream's result once the terminal signal reached the consumer. */
  public interface Settle {
    /** The end was delivered: complete the result. */
    void ended();

    /** The failure was delivered: fail the result with it. */
    void failed(Throwable error);
  }

  private final Context context;
  private final Flow flow;
  private final Settle settle;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean draining;
  private boolean endPending;
  private Throwable failurePending;
  private boolean finished;
  private boolean cancelled;

  /** {@code result()} was asked: it consumes a terminal signal whose handler is not set. */
  private boolean resultAwaited;

  public ChunkDelivery(Context context, Flow flow, Settle settle) {
    this.context = context;
    this.flow = flow;
    this.settle = settle;
  }

  /** Runs the action on the context: at once when already there, else queued to it. */
  public void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  // ---- producer side (on the context) ----

  /** Queues a chunk; call {@link #deliver()} after a batch. */
  public void enqueue(T chunk) {
    if (!cancelled && !endPending && failurePending == null) {
      queue.add(chunk);
    }
  }

  /** The stream ended normally: the end handler runs after the queued chunks. */
  public void end() {
    if (failurePending == null) {
      endPending = true;
    }
  }

  /** The stream failed: the exception handler runs after the queued chunks. */
  public void fail(Throwable error) {
    if (!endPending && failurePending == null) {
      failurePending = error;
    }
  }

  /**
   * Drops what is queued; no handler is called afterwards. False if already finished or cancelled.
   */
  public boolean cancel() {
    if (cancelled || finished) {
      return false;
    }
    cancelled = true;
    queue.clear();
    return true;
  }

  /** Whether the consumer has taken the terminal signal, or cancelled. */
  public boolean finished() {
    return finished || cancelled;
  }

  /** Whether a chunk produced now would be handed over at once. */
  public boolean wantsMore() {
    return !cancelled && handler != null && demand > 0 && queue.isEmpty();
  }

  /**
   * Hands queued chunks over while there is demand, then the terminal signal, then asks for more.
   */
  public void deliver() {
    if (draining || finished || cancelled) {
      return;
    }
    draining = true;
    try {
      while (!queue.isEmpty() && handler != null && demand > 0 && !cancelled) {
        T chunk = queue.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(chunk);
      }
    } finally {
      draining = false;
    }
    if (cancelled) {
      return;
    }
    if (!queue.isEmpty()) {
      flow.hold();
    } else if (failurePending != null) {
      if (exceptionHandler != null || resultAwaited) {
        finished = true;
        try {
          if (exceptionHandler != null) {
            exceptionHandler.handle(failurePending);
          }
        } finally {
          settle.failed(failurePending); // a throwing handler must not leave result() pending
        }
      } else {
        flow.hold();
      }
    } else if (endPending) {
      if (endHandler != null || resultAwaited) {
        finished = true;
        try {
          if (endHandler != null) {
            endHandler.handle(null);
          }
        } finally {
          settle.ended();
        }
      }
    } else if (handler != null && demand > 0) {
      flow.more();
    } else {
      flow.hold();
    }
  }

  // ---- consumer side (any thread) ----

  /**
   * {@code result()} was asked: a terminal signal whose handler is not set settles the result
   * alone, and when nobody consumes the stream a handler that drops chunks feeds it.
   */
  public void awaitResult() {
    onContext(
        () -> {
          resultAwaited = true;
          if (handler == null && !cancelled) {
            handler = chunk -> {};
          }
          deliver();
        });
  }

  public void handler(Handler<T> h) {
    onContext(
        () -> {
          handler = h;
          deliver();
        });
  }

  public void endHandler(Handler<Void> h) {
    onContext(
        () -> {
          endHandler = h;
          deliver();
        });
  }

  public void exceptionHandler(Handler<Throwable> h) {
    onContext(
        () -> {
          exceptionHandler = h;
          deliver();
        });
  }

  public void pause() {
    onContext(
        () -> {
          demand = 0;
          flow.hold();
        });
  }

  public void fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must be >= 0, got " + amount);
    }
    onContext(
        () -> {
          demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
          deliver();
        });
  }
}
