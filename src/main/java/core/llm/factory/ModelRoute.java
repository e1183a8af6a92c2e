package core.llm.factory;

import core.llm.providers.base.Residency;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where requests for a model go: {@link LlmProviderFactory#route(String, String)}.
 *
 * @param model the model sent to the provider (aliases resolved)
 * @param providers the candidate providers in the order routing tries them; never empty
 * @param candidates the same providers in the same order, each with the step of the resolution
 *     order that put it there and the placement inputs it was ranked by (what {@code llm route}
 *     prints)
 */
public record ModelRoute(String model, List<String> providers, List<Candidate> candidates) {
  public ModelRoute {
    providers = List.copyOf(providers);
    candidates = List.copyOf(candidates);
  }

  /** Names only: each candidate's step and placement inputs unknown. */
  public ModelRoute(String model, List<String> providers) {
    this(model, providers, unexplained(providers));
  }

  private static List<Candidate> unexplained(List<String> providers) {
    List<Candidate> out = new ArrayList<>(providers.size());
    for (String p : providers) {
      out.add(
          new Candidate(
              p,
              null,
              Residency.UNKNOWN,
              false,
              OptionalInt.empty(),
              0,
              1,
              0,
              BreakerState.CLOSED,
              ServiceTimes.DEFAULT_REQUEST_NANOS,
              ServiceTimes.DEFAULT_LOAD_NANOS));
    }
    return out;
  }

  /** The step of the resolution order (docs/ARCHITECTURE.md, "Resolution order") of a candidate. */
  public enum Step {
    /** The provider the caller preferred ({@code --provider}, {@code router(preferred)}). */
    PREFERRED,
    /** A runtime {@code registerModel} entry, else {@code modelMapping}. */
    MAPPED,
    /** Lists the model in its {@code models}: ranked by placement among the others that do. */
    LISTED,
    /** The default provider. */
    DEFAULT,
    /** The {@code fallback} list. */
    FALLBACK,
    /**
     * Marked {@code overflow: true}: after every other candidate unless all of those are saturated.
     */
    OVERFLOW
  }

  /**
   * One candidate and how it stood when the route was worked out: the inputs of the placement the
   * router ranks equal candidates by (only {@link Step#LISTED} ones are ranked; the others keep the
   * place their step gives them).
   *
   * @param provider the provider's name
   * @param step why it is in the list; null when not known
   * @param residency where the model stands on it ({@link
   *     core.llm.providers.base.LlmProvider#residency}, or {@code LOADING} while a request this
   *     factory routed there is in flight); {@code UNKNOWN} for a provider not created yet
   * @param reload whether its loaded copy runs with another context length than the request asks
   *     (serving it would reload the model): ranks just behind a matching copy
   * @param loadedContextLength the context length its loaded copy runs with, when known
   * @param inFlight requests running on it now
   * @param capacity {@code options.parallel} (default 1)
   * @param failures the breaker's consecutive recent failures
   * @param breaker the breaker's state
   * @param requestNanos a request's typical duration for the model on it, observed (a default
   *     before anything is): what a place in its queue costs
   * @param loadNanos a load's typical duration for the model, observed (a default before anything
   *     is): what loading it on a cold host costs
   * @param hostInFlight requests running on it now for any model: between hosts equal on everything
   *     else, the one doing less (a cold load there is less likely to wait for a busy model to be
   *     evicted)
   */
  public record Candidate(
      String provider,
      Step step,
      Residency residency,
      boolean reload,
      OptionalInt loadedContextLength,
      int inFlight,
      int capacity,
      int failures,
      BreakerState breaker,
      long requestNanos,
      long loadNanos,
      int hostModelsInUse,
      int hostInFlight) {
    public Candidate {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(residency, "residency");
      Objects.requireNonNull(loadedContextLength, "loadedContextLength");
      Objects.requireNonNull(breaker, "breaker");
      capacity = Math.max(1, capacity);
    }

    /** Without the host's other requests (none counted). */
    public Candidate(
        String provider,
        Step step,
        Residency residency,
        boolean reload,
        OptionalInt loadedContextLength,
        int inFlight,
        int capacity,
        int failures,
        BreakerState breaker,
        long requestNanos,
        long loadNanos) {
      this(
          provider,
          step,
          residency,
          reload,
          loadedContextLength,
          inFlight,
          capacity,
          failures,
          breaker,
          requestNanos,
          loadNanos,
          0,
          0);
    }

    /** Without observed durations: the defaults placement uses before anything is measured. */
    public Candidate(
        String provider,
        Step step,
        Residency residency,
        boolean reload,
        OptionalInt loadedContextLength,
        int inFlight,
        int capacity,
        int failures,
        BreakerState breaker) {
      this(
          provider,
          step,
          residency,
          reload,
          loadedContextLength,
          inFlight,
          capacity,
          failures,
          breaker,
          ServiceTimes.DEFAULT_REQUEST_NANOS,
          ServiceTimes.DEFAULT_LOAD_NANOS);
    }

    /** In flight plus failures over capacity: 1 or more is saturated. */
    public double busy() {
      return (inFlight + failures) / (double) capacity;
    }

    /** What a new request would wait here before it starts: see {@link #score}. */
    public java.time.Duration queueWait() {
      return java.time.Duration.ofNanos(
          (long) queueWaitNanos(inFlight + failures, capacity, requestNanos));
    }

    /**
     * Whether its loaded copy ranks behind hosts that would load the model cold: its queue wait
     * exceeds a load.
     */
    public boolean spreads() {
      return spills(residency, inFlight + failures, capacity, requestNanos, loadNanos);
    }

    /**
     * Whether placement cannot tell the two apart (same residency, same reload, same busy): between
     * listed candidates, the weighted random draw then decided their order.
     */
    public boolean tiesWith(Candidate other) {
      return score().compareTo(other.score()) == 0;
    }

    Placement.Score score() {
      return score(
          residency,
          reload,
          inFlight,
          failures,
          capacity,
          requestNanos,
          loadNanos,
          hostModelsInUse,
          hostInFlight);
    }

    /**
     * The placement score of these inputs: the one formula the router ranks by. A loaded copy whose
     * expected queue wait exceeds the expected cost of loading the model elsewhere ranks behind
     * hosts that would load it cold: a hot model then spreads to a second host instead of queueing
     * on one, and stays where it is while its queue is shorter than a load (measured in
     * bench/run-routing.sh). The wait is the requests that must finish before a new one starts
     * ({@code inFlight + failures - capacity + 1}) over the capacity, times a request's typical
     * duration there. Between equals, the host with fewer models in use, then fewer requests.
     */
    static Placement.Score score(
        Residency residency,
        boolean reload,
        int inFlight,
        int failures,
        int capacity,
        long requestNanos,
        long loadNanos,
        int hostModelsInUse,
        int hostInFlight) {
      int busyCount = inFlight + failures;
      double busy = busyCount / (double) capacity;
      int rank = 2 * residency.ordinal() + (reload ? 1 : 0);
      if (spills(residency, busyCount, capacity, requestNanos, loadNanos)) {
        rank = 2 * Residency.UNKNOWN.ordinal() + 1;
      }
      return new Placement.Score(rank, busy, hostModelsInUse, hostInFlight);
    }

    /** {@link #score} with the default durations (nothing observed yet). */
    static Placement.Score score(
        Residency residency, boolean reload, int inFlight, int failures, int capacity) {
      return score(
          residency,
          reload,
          inFlight,
          failures,
          capacity,
          ServiceTimes.DEFAULT_REQUEST_NANOS,
          ServiceTimes.DEFAULT_LOAD_NANOS,
          0,
          0);
    }

    private static boolean spills(
        Residency residency, int busyCount, int capacity, long requestNanos, long loadNanos) {
      return residency == Residency.LOADED
          && busyCount >= capacity
          && queueWaitNanos(busyCount, capacity, requestNanos) > loadNanos;
    }

    private static double queueWaitNanos(int busyCount, int capacity, long requestNanos) {
      int ahead = busyCount - capacity + 1;
      return ahead <= 0 ? 0 : ahead * (double) requestNanos / capacity;
    }
  }
}
