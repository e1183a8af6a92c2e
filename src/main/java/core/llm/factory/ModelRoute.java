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
              BreakerState.CLOSED));
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
      BreakerState breaker) {
    public Candidate {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(residency, "residency");
      Objects.requireNonNull(loadedContextLength, "loadedContextLength");
      Objects.requireNonNull(breaker, "breaker");
      capacity = Math.max(1, capacity);
    }

    /** In flight plus failures over capacity: 1 or more is saturated. */
    public double busy() {
      return (inFlight + failures) / (double) capacity;
    }

    /**
     * Whether placement cannot tell the two apart (same residency, same reload, same busy): between
     * listed candidates, the weighted random draw then decided their order.
     */
    public boolean tiesWith(Candidate other) {
      return score().compareTo(other.score()) == 0;
    }

    Placement.Score score() {
      return score(residency, reload, inFlight, failures, capacity);
    }

    /**
     * The placement score of these inputs: the one formula the router ranks by. A loaded copy whose
     * queue is as long again as its capacity ({@code busy >= 2}) ranks behind hosts that would load
     * the model cold: waiting behind a whole batch of answers costs more than a load, and a hot
     * model then spreads to a second host instead of queueing on one (measured in
     * bench/run-routing.sh).
     */
    static Placement.Score score(
        Residency residency, boolean reload, int inFlight, int failures, int capacity) {
      double busy = (inFlight + failures) / (double) capacity;
      int rank = 2 * residency.ordinal() + (reload ? 1 : 0);
      if (residency == Residency.LOADED && busy >= SATURATED) {
        rank = 2 * Residency.UNKNOWN.ordinal() + 1;
      }
      return new Placement.Score(rank, busy);
    }

    /** Four times the capacity in flight: see {@link #score}. */
    static final double SATURATED = 4.0;
  }
}
