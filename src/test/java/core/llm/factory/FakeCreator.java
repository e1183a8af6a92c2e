package core.llm.factory;

import core.llm.providers.base.LlmProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Creator of {@link FakeProvider}s for one type; keeps every instance and the per-name scripts. */
final class FakeCreator implements ProviderCreator {
  private final String type;
  final AtomicInteger creations = new AtomicInteger();
  final List<FakeProvider> created = new CopyOnWriteArrayList<>();
  private final Map<String, ConcurrentLinkedQueue<Script>> scripts = new ConcurrentHashMap<>();

  /**
   * Delay of unscripted replies, in real milliseconds (keeps requests in flight across reloads).
   */
  volatile long defaultDelayMs;

  FakeCreator(String type) {
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public LlmProvider create(ProviderContext ctx) {
    creations.incrementAndGet();
    FakeProvider p = new FakeProvider(ctx, queue(ctx.config().name()), () -> defaultDelayMs);
    created.add(p);
    return p;
  }

  /** Queues scripts for the next calls to the provider of that name. */
  FakeCreator script(String provider, Script... next) {
    queue(provider).addAll(List.of(next));
    return this;
  }

  private ConcurrentLinkedQueue<Script> queue(String provider) {
    return scripts.computeIfAbsent(provider, k -> new ConcurrentLinkedQueue<>());
  }

  /** Every instance created for that name, oldest first. */
  List<FakeProvider> instances(String provider) {
    return created.stream().filter(p -> p.name.equals(provider)).toList();
  }

  /** Calls made to every instance of that name. */
  int calls(String provider) {
    return instances(provider).stream().mapToInt(p -> p.calls.get()).sum();
  }

  /** Waits (at most 10 s) until that many calls reached the provider of that name. */
  void awaitCalls(String provider, int n) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (calls(provider) < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(provider + " got " + calls(provider) + " calls, not " + n);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
