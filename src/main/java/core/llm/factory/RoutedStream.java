package core.llm.factory;

import core.llm.common.LlmException;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.function.Function;

/**
 * A chat stream that may switch provider before its first token and never after it.
 *
 * <p>The first attempt starts at once; the underlying stream's chunks are held (not read) until a
 * handler is set or {@link #result()} is called. The end comes from the underlying stream's end
 * handler, after its last chunk, never from its result, which may complete while chunks still wait
 * for a paused consumer. A retryable failure before the first delta opens the next attempt from the
 * {@link LegSource} (retry or failover); any failure after the first delta is the commit point: the
 * caller gets a typed stream error (see {@link Errors#midStream}), never a clean end.
 *
 * <p>Flow control belongs to this stream, not to a leg: the caller's outstanding demand ({@link
 * #pause()}, {@link #fetch(long)}, {@link #resume()}) is counted here and handed to each leg as it
 * is attached, so a fallback leg gets the demand the caller gave the leg that failed. The end and a
 * failure wait for their own handlers when those are set late (or for {@code result()} to be
 * asked), and {@code result()} settles after the end handler ran, as with every {@link
 * ResponseStream}.
 */
final class RoutedStream<T, R> implements ResponseStream<T, R> {
  private final LegSource legs;
  private final Function<LlmProvider, ResponseStream<T, R>> open;
  private final Promise<R> result = Promise.promise();

  /** Where the caller created it (null off Vert.x): every leg is opened there. */
  private final io.vertx.core.Context home = io.vertx.core.Vertx.currentContext();

  private Handler<T> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private Leg current;
  private boolean attached;

  /** Chunks the caller asked for and has not had yet; {@code Long.MAX_VALUE} while flowing. */
  private long demand = Long.MAX_VALUE;

  private boolean resultAsked;
  private R heldEnd;
  private boolean committed;
  private boolean finished;

  /** cancel() came while the last leg was ending: its end is dropped. */
  private boolean cancelledAtEnd;

  private Throwable undelivered;

  /** One attempt: a lease and the stream opened on it. */
  private final class Leg {
    final Lease lease;
    ResponseStream<T, R> stream;
    boolean done;

    Leg(Lease lease) {
      this.lease = lease;
    }
  }

  RoutedStream(LegSource legs, Function<LlmProvider, ResponseStream<T, R>> open) {
    this.legs = legs;
    this.open = open;
    legs.next(null).onComplete(this::onLease);
  }

  /**
   * Opens the attempt a lease names, on the context that created this stream: a lease can complete
   * on another event loop (the model's shared load that another request started, a backoff), and
   * the leg's transport delivers on the context it was opened on. Opened there, the caller's
   * handlers would run on a thread the caller does not expect (the gateway's batch of a turn then
   * raced with itself: a chunk was written twice or lost).
   */
  private void onLease(io.vertx.core.AsyncResult<Lease> ar) {
    if (home != null && io.vertx.core.Vertx.currentContext() != home) {
      home.runOnContext(v -> onLease(ar));
      return;
    }
    if (ar.succeeded()) {
      start(ar.result());
    } else {
      fail(ar.cause());
    }
  }

  private void start(Lease lease) {
    synchronized (this) {
      if (finished) { // cancelled while this attempt waited (a backoff, the model's shared load)
        lease.abandon();
        lease.release();
        return;
      }
    }
    Leg leg = new Leg(lease);
    try {
      leg.stream = open.apply(lease.provider);
    } catch (RuntimeException e) {
      legFailed(leg, e);
      return;
    }
    boolean attachNow;
    synchronized (this) {
      if (finished) { // cancelled while this attempt was being opened or waiting for a backoff
        leg.done = true;
      } else {
        current = leg; // only legs with an open stream become current
      }
      attachNow = attached && !leg.done;
    }
    if (leg.done) {
      leg.stream.cancel();
      lease.abandon();
      lease.release();
      return;
    }
    leg.stream.exceptionHandler(e -> legFailed(leg, e));
    // The end handler runs only after every chunk reached the handler; result() may complete
    // earlier (when the final chunk is decoded), so it is read for its value, never as the end.
    leg.stream.endHandler(
        v ->
            leg.stream
                .result()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        legSucceeded(leg, ar.result());
                      } else {
                        legFailed(leg, ar.cause());
                      }
                    }));
    if (attachNow) {
      attach(leg);
    }
  }

  /**
   * Starts reading the leg: only once the caller asked for data, so chunks stay held until then.
   */
  private void attach(Leg leg) {
    long owed;
    synchronized (this) {
      owed = demand;
    }
    if (owed != Long.MAX_VALUE) {
      leg.stream.pause();
      if (owed > 0) {
        leg.stream.fetch(owed);
      }
    }
    leg.stream.handler(d -> onDelta(leg, d));
  }

  private void onDelta(Leg leg, T d) {
    Handler<T> h;
    synchronized (this) {
      if (leg != current || finished) {
        return;
      }
      if (!committed) {
        committed = true;
        leg.lease.success(); // a token arrived: the provider works
      }
      if (demand != Long.MAX_VALUE && demand > 0) {
        demand--;
      }
      h = handler;
    }
    if (h != null) {
      h.handle(d);
    }
  }

  private void legSucceeded(Leg leg, R r) {
    Handler<Void> end;
    synchronized (this) {
      if (leg.done) {
        return;
      }
      leg.done = true;
      if (!committed) {
        leg.lease.success();
      }
      if (finished) {
        // cancelled while the leg was ending: the cancel path answered, and no handler may run
        // after cancel()
        cancelledAtEnd = true;
      }
      finished = true;
      end = cancelledAtEnd ? null : endHandler;
      if (end == null && !resultAsked) {
        heldEnd = r; // the end waits for its handler (set later, from another thread maybe)
      }
    }
    leg.lease.release();
    if (cancelledAtEnd) {
      return;
    }
    // Handlers first: whoever awaits result() then sees everything the handlers did.
    if (end != null) {
      end.handle(null);
    }
    if (end != null || heldEnd == null) {
      result.tryComplete(r);
    }
  }

  /** The held end, taken once: by a late end handler or by a caller of {@code result()}. */
  private synchronized R takeHeldEnd() {
    R r = heldEnd;
    heldEnd = null;
    return r;
  }

  private void legFailed(Leg leg, Throwable t) {
    boolean wasCommitted;
    synchronized (this) {
      if (leg.done) {
        return;
      }
      leg.done = true;
      wasCommitted = committed;
      if (finished) { // cancelled: the cancel path already answered
        leg.lease.abandon();
        leg.lease.release();
        return;
      }
    }
    leg.lease.release();
    LlmException e = Errors.classify(t, leg.lease.name);
    if (wasCommitted) {
      leg.lease.failure(e);
      LlmException m = Errors.midStream(e, leg.lease.name);
      legs.midStream(leg.lease, m);
      fail(m);
    } else if (!Errors.retryableBeforeCommit(e)) {
      leg.lease.neutral(e);
      fail(e);
    } else {
      leg.lease.failure(e);
      legs.next(e).onComplete(this::onLease);
    }
  }

  private void fail(Throwable t) {
    Handler<Throwable> eh;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      eh = exceptionHandler;
      if (eh == null) {
        undelivered = t; // e.g. no provider at all: fails before the caller could set a handler
      }
    }
    if (eh != null) {
      eh.handle(t);
    }
    result.tryFail(t);
  }

  private void attachIfNeeded() {
    Leg leg;
    synchronized (this) {
      if (attached) {
        return;
      }
      attached = true;
      leg = current;
    }
    if (leg != null) {
      attach(leg);
    }
  }

  @Override
  public Future<R> result() {
    synchronized (this) {
      resultAsked = true;
    }
    attachIfNeeded();
    R held = takeHeldEnd();
    if (held != null) {
      result.tryComplete(held);
    }
    return result.future();
  }

  @Override
  public Future<R> outcome() {
    return result.future();
  }

  @Override
  public Future<Void> cancel() {
    Leg leg;
    synchronized (this) {
      if (finished) {
        return Future.succeededFuture();
      }
      finished = true;
      leg = current;
    }
    result.tryFail(Errors.cancelled(leg == null ? null : leg.lease.name));
    if (leg != null && leg.stream != null) {
      return leg.stream
          .cancel()
          .eventually(
              () -> {
                leg.lease.abandon();
                leg.lease.release();
                return Future.succeededFuture();
              });
    }
    return Future.succeededFuture();
  }

  @Override
  public RoutedStream<T, R> exceptionHandler(Handler<Throwable> h) {
    Throwable late;
    synchronized (this) {
      exceptionHandler = h;
      late = h == null ? null : undelivered;
      if (late != null) {
        undelivered = null;
      }
    }
    if (late != null) {
      h.handle(late);
    }
    return this;
  }

  @Override
  public RoutedStream<T, R> handler(Handler<T> h) {
    synchronized (this) {
      handler = h;
    }
    if (h != null) {
      attachIfNeeded();
    }
    return this;
  }

  @Override
  public RoutedStream<T, R> endHandler(Handler<Void> h) {
    synchronized (this) {
      endHandler = h;
    }
    R held = h == null ? null : takeHeldEnd();
    if (held != null) {
      h.handle(null);
      result.tryComplete(held);
    }
    return this;
  }

  @Override
  public RoutedStream<T, R> pause() {
    Leg leg;
    synchronized (this) {
      demand = 0;
      leg = current;
    }
    if (leg != null && leg.stream != null) {
      leg.stream.pause();
    }
    return this;
  }

  @Override
  public RoutedStream<T, R> resume() {
    Leg leg;
    synchronized (this) {
      demand = Long.MAX_VALUE;
      leg = current;
    }
    if (leg != null && leg.stream != null) {
      leg.stream.resume();
    }
    return this;
  }

  @Override
  public RoutedStream<T, R> fetch(long amount) {
    Leg leg;
    synchronized (this) {
      if (amount > 0 && demand != Long.MAX_VALUE) {
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      }
      leg = current;
    }
    if (leg != null && leg.stream != null) {
      leg.stream.fetch(amount);
    }
    return this;
  }
}
