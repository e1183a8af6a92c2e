package core.llm.factory;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.base.LlmProvider;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt's hold on a provider: keeps its slot from closing until {@link #release()}, and
 * reports the outcome to the breaker (through {@link Outcomes}, null for direct calls that bypass
 * routing).
 */
final class Lease {
  /** Where outcomes go: the factory's breakers and events. */
  interface Outcomes {
    void success(String provider);

    void failure(String provider, LlmException e);

    void abandon(String provider);
  }

  /** A provider and its configured name (the provider's own name may differ for a wrapper). */
  record Named(String name, LlmProvider provider) {}

  final String name;
  final LlmProvider provider;
  private final Slot slot;
  private final Outcomes outcomes;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean reported;
  private volatile Runnable onRelease;

  Lease(String name, LlmProvider provider, Slot slot, Outcomes outcomes) {
    this.name = name;
    this.provider = provider;
    this.slot = slot;
    this.outcomes = outcomes;
  }

  /** Idempotent: the cancel path and the completion path may both call it. */
  void release() {
    if (released.compareAndSet(false, true)) {
      slot.release();
      Runnable r = onRelease;
      if (r != null) {
        r.run();
      }
    }
  }

  /** Runs once, at release (the factory's count of requests per provider and model). */
  Lease onRelease(Runnable action) {
    onRelease = action;
    return this;
  }

  void success() {
    reported = true;
    if (outcomes != null) {
      outcomes.success(name);
    }
  }

  void failure(LlmException e) {
    reported = true;
    if (outcomes != null) {
      outcomes.failure(name, e);
    }
  }

  /**
   * A non-retryable outcome: the server answered, so for the breaker it is a success, except a
   * cancellation, which says nothing about the server.
   */
  void neutral(LlmException e) {
    if (e.kind() == ErrorKind.CANCELLED) {
      abandon();
    } else {
      success();
    }
  }

  void abandon() {
    if (!reported && outcomes != null) {
      reported = true;
      outcomes.abandon(name);
    }
  }
}
