package core.llm.observability;

import core.llm.common.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running usage and cost totals per provider and model, readable and resettable at any time.
 * Thread-safe; adders keep concurrent requests from contending. A request ending exactly while
 * {@link #reset()} runs may be counted in either period, or in neither.
 */
public final class UsageTracker {
  private record Key(String provider, String model) {}

  private static final class Acc {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder prompt = new LongAdder();
    final LongAdder completion = new LongAdder();
    final DoubleAdder cost = new DoubleAdder();
    volatile boolean priced;
  }

  private final Map<Key, Acc> totals = new ConcurrentHashMap<>();

  /** Adds one finished request; {@code model} must already be a bounded label. */
  public void add(String provider, String model, boolean error, Usage usage, Double cost) {
    Acc a = totals.computeIfAbsent(new Key(provider, model), k -> new Acc());
    a.requests.increment();
    if (error) {
      a.errors.increment();
    }
    if (usage != null) {
      if (usage.promptTokens() != null) {
        a.prompt.add(usage.promptTokens());
      }
      if (usage.completionTokens() != null) {
        a.completion.add(usage.completionTokens());
      }
    }
    if (cost != null) {
      a.cost.add(cost);
      a.priced = true;
    }
  }

  /** Totals per provider and model, sorted by provider then model. */
  public List<UsageTotals> snapshot() {
    List<UsageTotals> out = new ArrayList<>();
    totals.forEach(
        (k, a) ->
            out.add(
                new UsageTotals(
                    k.provider(),
                    k.model(),
                    a.requests.sum(),
                    a.errors.sum(),
                    a.prompt.sum(),
                    a.completion.sum(),
                    a.priced ? a.cost.sum() : null)));
    out.sort(Comparator.comparing(UsageTotals::provider).thenComparing(UsageTotals::model));
    return out;
  }

  /** The totals of one provider and model, or all zero (cost null) when it has none. */
  public UsageTotals totals(String provider, String model) {
    for (UsageTotals t : snapshot()) {
      if (t.provider().equals(provider) && t.model().equals(model)) {
        return t;
      }
    }
    return new UsageTotals(provider, model, 0, 0, 0, 0, null);
  }

  /** Everything added up; cost null when no request was priced. */
  public UsageTotals grandTotal() {
    long req = 0;
    long err = 0;
    long in = 0;
    long out = 0;
    Double cost = null;
    for (UsageTotals t : snapshot()) {
      req += t.requests();
      err += t.errors();
      in += t.promptTokens();
      out += t.completionTokens();
      if (t.cost() != null) {
        cost = (cost == null ? 0 : cost) + t.cost();
      }
    }
    return new UsageTotals("*", "*", req, err, in, out, cost);
  }

  /** Starts a new period: every total back to nothing. */
  public void reset() {
    totals.clear();
  }
}
