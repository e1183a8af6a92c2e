package core.llm.factory;

import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One provider instance built from one {@link ProviderConfig}, with its in-flight count. A reload
 * that changes or removes the provider retires the slot: it takes no new request, and closes its
 * instance once the requests it already holds have finished (draining), so none fails because of
 * the reload.
 */
final class Slot {
  final ProviderConfig config;

  /** Requests the host serves at once per model ({@code options.parallel}), read once. */
  final int parallel;

  private final Function<ProviderConfig, LlmProvider> creator;
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean retired;
  private volatile LlmProvider instance;
  private volatile ManagedProvider handle;
  private final AtomicReference<Future<Void>> startCalled = new AtomicReference<>();

  Slot(ProviderConfig config, Function<ProviderConfig, LlmProvider> creator) {
    this.config = config;
    this.creator = creator;
    this.parallel = LlmProviderFactoryImpl.parallel(config);
  }

  /**
   * The instance, created on first call (once, however many threads ask); throws what the creator
   * threw.
   */
  LlmProvider instance() {
    LlmProvider p = instance;
    if (p == null) {
      synchronized (this) {
        p = instance;
        if (p == null) {
          p = creator.apply(config);
          instance = p;
        }
      }
    }
    return p;
  }

  boolean created() {
    return instance != null;
  }

  /**
   * Creates the instance if needed and starts its background work, once: later calls return the
   * first call's outcome. A retired slot is not started (it is about to close).
   */
  Future<Void> start() {
    Future<Void> once = startCalled.get();
    if (once != null) {
      return once; // the common case: every request of a started factory passes here
    }
    Promise<Void> p = Promise.promise();
    if (!startCalled.compareAndSet(null, p.future())) {
      return startCalled.get();
    }
    if (retired) {
      p.complete();
      return p.future();
    }
    try {
      instance().start().onComplete(p);
    } catch (RuntimeException e) {
      p.fail(e);
    }
    return p.future();
  }

  /**
   * The handle given out by {@code provider(name)}; one per slot, so repeated calls return the same
   * object.
   */
  ManagedProvider handle(LlmProviderFactoryImpl factory) {
    ManagedProvider h = handle;
    if (h == null) {
      synchronized (this) {
        if (handle == null) {
          handle = new ManagedProvider(factory, this);
        }
        h = handle;
      }
    }
    return h;
  }

  /**
   * Counts a request in. False when the slot is retired: the caller must look the provider up again
   * (it gets the replacement). Increment-then-check pairs with retire's set-then-check, so a
   * request is either refused or counted before the instance can be closed.
   */
  boolean tryAcquire() {
    inflight.incrementAndGet();
    if (retired) {
      release();
      return false;
    }
    return true;
  }

  void release() {
    if (inflight.decrementAndGet() == 0 && retired) {
      closeNow();
    }
  }

  int inflight() {
    return inflight.get();
  }

  /** Takes no new request; closes the instance when the last in-flight one finishes. */
  Future<Void> retire() {
    retired = true;
    if (inflight.get() == 0) {
      closeNow();
    }
    return closed.future();
  }

  /** Closes the instance now, whatever it still runs (its requests fail as cancelled). */
  void closeNow() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    LlmProvider p;
    synchronized (this) {
      p = instance;
    }
    if (p == null) {
      closed.tryComplete();
      return;
    }
    Future<Void> f;
    try {
      f = p.close();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> closed.tryComplete());
  }
}
