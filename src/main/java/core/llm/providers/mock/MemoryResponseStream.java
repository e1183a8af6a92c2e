package core.llm.providers.mock;

import core.llm.common.CancelledException;
import core.llm.common.ErrorContext;
import core.llm.common.LlmException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.spi.ChunkDelivery;
import core.llm.providers.spi.StreamAggregator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link ResponseStream} over a scripted list of chunks, with the same contract as the HTTP
 * streams: chunks are produced only while there is a handler and demand (so pause and {@code
 * fetch(1)} really hold production back, which is what a test of back-pressure needs), handlers run
 * on the context that created the stream, a per-chunk delay uses Vert.x timers (never sleeps), and
 * cancel stops everything and fails {@link #result()} with a {@link CancelledException}.
 *
 * <p>After the chunks the stream ends one of three ways: normally, with an error (built from the
 * chunks received, so a cut stream can report them), or by stalling until cancelled or until an
 * optional limit turns the stall into an error.
 */
final class MemoryResponseStream<T, R> implements ResponseStream<T, R> {

  /**
   * How the stream ends after its chunks.
   *
   * @param error null: end normally; else the failure, given the chunks delivered
   * @param stall wait forever (or until {@code stallLimit}) instead of ending
   * @param stallLimit with {@code stall}: when to fail with {@code error}; null: never
   */
  record Ending<T>(Function<List<T>, LlmException> error, boolean stall, Duration stallLimit) {
    static <T> Ending<T> normal() {
      return new Ending<>(null, false, null);
    }
  }

  private final Vertx vertx;
  private final List<T> chunks;
  private final Ending<T> ending;
  private final long delayMs;
  private final StreamAggregator<T, R> aggregator;
  private final ErrorContext errorContext;
  private final Runnable onCancel;
  private final Promise<R> result = Promise.promise();
  private final List<T> delivered = new ArrayList<>();
  private final ChunkDelivery<T> delivery;

  private int index;
  private boolean delayElapsed;
  private long timer = -1;
  private boolean producing;
  private boolean terminal;

  /** The folded result, kept from the end until it reaches the consumer. */
  private R value;

  MemoryResponseStream(
      Vertx vertx,
      List<T> chunks,
      Ending<T> ending,
      Duration delay,
      StreamAggregator<T, R> aggregator,
      ErrorContext errorContext,
      Runnable onCancel) {
    this.vertx = vertx;
    this.chunks = List.copyOf(chunks);
    this.ending = ending;
    this.delayMs = core.llm.common.TimerDelays.millis(delay);
    this.aggregator = aggregator;
    this.errorContext = errorContext;
    this.onCancel = onCancel;
    this.delivery =
        new ChunkDelivery<>(
            vertx.getOrCreateContext(),
            new ChunkDelivery.Flow() {
              @Override
              public void more() {
                produce();
              }

              @Override
              public void hold() {
                // production is pull-based: nothing runs unless more() asks
              }
            },
            new ChunkDelivery.Settle() {
              @Override
              public void ended() {
                result.tryComplete(value);
              }

              @Override
              public void failed(Throwable error) {
                result.tryFail(error);
              }
            });
    delivery.onContext(this::produce); // an ending with no chunks (refused, stalled) starts at once
  }

  /** Produces while the consumer wants more; re-entrant calls (a handler calling fetch) fold in. */
  private void produce() {
    if (producing || terminal || delivery.finished() || timer >= 0) {
      return;
    }
    producing = true;
    try {
      while (!terminal && !delivery.finished() && timer < 0) {
        if (index >= chunks.size()) {
          reachEnding();
          break;
        }
        if (!delivery.wantsMore()) {
          break;
        }
        if (delayMs > 0 && !delayElapsed) {
          timer =
              vertx.setTimer(
                  delayMs,
                  id -> {
                    timer = -1;
                    delayElapsed = true;
                    produce();
                  });
          break;
        }
        delayElapsed = false;
        T chunk = chunks.get(index++);
        delivered.add(chunk);
        if (aggregator != null) {
          aggregator.accept(chunk);
        }
        delivery.enqueue(chunk);
        delivery.deliver();
      }
    } finally {
      producing = false;
    }
  }

  private void reachEnding() {
    terminal = true;
    if (ending.stall()) {
      if (ending.stallLimit() != null && ending.error() != null) {
        timer =
            vertx.setTimer(
                Math.max(1, core.llm.common.TimerDelays.millis(ending.stallLimit())),
                id -> {
                  timer = -1;
                  failWith(ending.error().apply(delivered));
                });
      }
      return;
    }
    if (ending.error() != null) {
      failWith(ending.error().apply(delivered));
      return;
    }
    try {
      value = aggregator == null ? null : aggregator.result();
    } catch (LlmException e) {
      failWith(e);
      return;
    }
    delivery.end();
    delivery.deliver();
  }

  private void failWith(LlmException error) {
    if (delivery.finished()) {
      return;
    }
    delivery.fail(error);
    delivery.deliver();
  }

  @Override
  public Future<R> result() {
    delivery.awaitResult();
    return result.future();
  }

  @Override
  public Future<R> outcome() {
    return result.future();
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    delivery.onContext(
        () -> {
          if (!result.future().isComplete() && delivery.cancel()) {
            if (timer >= 0) {
              vertx.cancelTimer(timer);
              timer = -1;
            }
            result.tryFail(new CancelledException("Cancelled by the caller", errorContext));
            if (onCancel != null) {
              onCancel.run();
            }
          }
          done.complete();
        });
    return done.future();
  }

  @Override
  public ResponseStream<T, R> exceptionHandler(Handler<Throwable> h) {
    delivery.exceptionHandler(h);
    return this;
  }

  @Override
  public ResponseStream<T, R> handler(Handler<T> h) {
    delivery.handler(h);
    return this;
  }

  @Override
  public ResponseStream<T, R> pause() {
    delivery.pause();
    return this;
  }

  @Override
  public ResponseStream<T, R> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ResponseStream<T, R> fetch(long amount) {
    delivery.fetch(amount);
    return this;
  }

  @Override
  public ResponseStream<T, R> endHandler(Handler<Void> h) {
    delivery.endHandler(h);
    return this;
  }
}
