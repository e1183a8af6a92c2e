package core.llm.factory;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link RoutingClock} that never waits: sleeping records the delay and advances the clock. */
final class ManualClock implements RoutingClock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return Instant.ofEpochSecond(1_700_000_000L).plusNanos(nanos.get());
  }

  @Override
  public Future<Void> sleep(Duration delay) {
    sleeps.add(delay);
    advance(delay);
    return Future.succeededFuture();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
