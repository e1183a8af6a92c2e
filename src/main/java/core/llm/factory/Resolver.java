package core.llm.factory;

import core.llm.common.ModelNames;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Model → ordered candidate providers for one configuration, with its lookup tables precomputed
 * (canonical model names), so the per-request path is a few hash lookups. Immutable; rebuilt when
 * the configuration object changes.
 *
 * <p>Order: (1) the preferred provider if it serves the model; (2) the runtime registration, else
 * the configured mapping; (3) the providers listing the model in {@code models}, equal rank,
 * ordered by weighted random choice; (4) the default provider; (5) the fallback list in order.
 * Disabled providers never appear; duplicates keep their first place. "Serves" for (1), (4) and
 * (5): the provider lists the model, is the mapped one, or lists no models at all (an open provider
 * such as a local Ollama that serves whatever is pulled). The default provider also serves every
 * model that nothing claims (no provider lists it, no mapping names it): that is what "default"
 * means, so a model pulled after the file was written ({@code llama3.2:1b} beside a {@code models}
 * list of {@code [llama3.2]}) still goes to the default provider.
 *
 * <p>This is the one resolution of the library: the router, {@code providerForModel}, {@link
 * LlmProviderFactory#route} and the CLI's {@code providers} table all go through it.
 */
final class Resolver {
  /**
   * A resolved route: the model to send (alias resolved), the candidates in order, and the step
   * that put each one there (what {@code llm route} explains).
   */
  record Plan(String model, List<String> candidates, List<ModelRoute.Step> steps) {
    Plan(String model, List<String> candidates) {
      this(model, candidates, List.of());
    }

    /** The step that put this candidate in the plan, or null. */
    ModelRoute.Step step(String candidate) {
      int i = candidates.indexOf(candidate);
      return i >= 0 && i < steps.size() ? steps.get(i) : null;
    }
  }

  final LlmConfig config;
  private final Map<String, ProviderConfig> enabled = new LinkedHashMap<>();
  private final Map<String, String> mapping = new HashMap<>();
  private final Map<String, List<ProviderConfig>> listing = new HashMap<>();

  Resolver(LlmConfig config) {
    this.config = config;
    for (ProviderConfig p : config.providers()) {
      if (p.enabled() && p.name() != null) {
        enabled.put(p.name(), p);
        for (String m : p.models()) {
          listing.computeIfAbsent(ModelNames.canonical(m), k -> new ArrayList<>()).add(p);
        }
      }
    }
    // First entry wins for names that are the same model, as LlmConfig's lookup does.
    config.modelMapping().forEach((m, p) -> mapping.putIfAbsent(ModelNames.canonical(m), p));
  }

  ProviderConfig enabled(String name) {
    return name == null ? null : enabled.get(name);
  }

  List<String> enabledNames() {
    return List.copyOf(enabled.keySet());
  }

  /**
   * The candidates; throws {@link NoProviderForModelException} when none serves the model.
   *
   * @param registered runtime registrations, canonical model → provider
   */
  Plan plan(String model, String preferred, Map<String, String> registered, DoubleSupplier random) {
    return plan(model, preferred, registered, random, Placement.NONE);
  }

  /**
   * As above, with the providers that list the model ranked by {@code placement} (residency, then
   * load), the weighted random order breaking ties.
   */
  Plan plan(
      String model,
      String preferred,
      Map<String, String> registered,
      DoubleSupplier random,
      Placement placement) {
    String resolved = config.resolveAlias(model);
    String key = ModelNames.canonical(resolved);
    String mapped = registered.get(key);
    if (mapped == null) {
      mapped = mapping.get(key);
    }
    List<ProviderConfig> listed = listing.getOrDefault(key, List.of());
    // a handful of names: lists with a linear duplicate check cost less per request than the hash
    // tables they replaced, which showed in the allocation profile
    Candidates order = new Candidates(listed.size() + 4 + config.fallback().size());
    if (preferred != null && serves(enabled.get(preferred), mapped, listed)) {
      order.add(preferred, ModelRoute.Step.PREFERRED);
    }
    if (mapped != null && enabled.containsKey(mapped)) {
      order.add(mapped, ModelRoute.Step.MAPPED);
    }
    List<ProviderConfig> ranked = ranked(weighted(listed, random), resolved, placement);
    for (int i = 0; i < ranked.size(); i++) { // indexed: no iterator per request
      order.add(ranked.get(i).name(), ModelRoute.Step.LISTED);
    }
    String def = config.defaultProvider();
    if (def != null) {
      boolean unclaimed = mapped == null && listed.isEmpty();
      if (unclaimed ? enabled.containsKey(def) : serves(enabled.get(def), mapped, listed)) {
        order.add(def, ModelRoute.Step.DEFAULT);
      }
    }
    List<String> fallback = config.fallback();
    for (int i = 0; i < fallback.size(); i++) {
      if (serves(enabled.get(fallback.get(i)), mapped, listed)) {
        order.add(fallback.get(i), ModelRoute.Step.FALLBACK);
      }
    }
    if (order.names.isEmpty()) {
      throw new NoProviderForModelException(resolved, considered(preferred, mapped, listed));
    }
    overflowLast(order, preferred, resolved, placement);
    return new Plan(resolved, List.copyOf(order.names), List.copyOf(order.steps));
  }

  /** Every provider the order looked at, in that order: what a failed resolution reports. */
  private List<String> considered(String preferred, String mapped, List<ProviderConfig> listed) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    if (preferred != null) {
      names.add(preferred);
    }
    if (mapped != null) {
      names.add(mapped);
    }
    listed.forEach(p -> names.add(p.name()));
    if (config.defaultProvider() != null) {
      names.add(config.defaultProvider());
    }
    names.addAll(config.fallback());
    return List.copyOf(names);
  }

  /** Candidate names in order, each with the step that put it there, each in its first place. */
  private static final class Candidates {
    final List<String> names;
    final List<ModelRoute.Step> steps;

    Candidates(int room) {
      names = new ArrayList<>(room);
      steps = new ArrayList<>(room);
    }

    void add(String name, ModelRoute.Step step) {
      if (!names.contains(name)) {
        names.add(name);
        steps.add(step);
      }
    }
  }

  /**
   * Overflow providers ({@code overflow: true}) go after the others, unless every other candidate
   * is saturated (in flight at its capacity, or failing): then they go first. A provider the caller
   * preferred keeps its place.
   */
  private void overflowLast(Candidates order, String preferred, String model, Placement placement) {
    boolean any = false;
    for (int i = 0; i < order.names.size(); i++) {
      any |= isOverflow(order.names.get(i), preferred);
    }
    if (!any) {
      return;
    }
    boolean saturated = true;
    for (String name : order.names) {
      if (!isOverflow(name, preferred) && placement.score(name, model).busy() < 1) {
        saturated = false;
        break;
      }
    }
    List<String> names = List.copyOf(order.names);
    List<ModelRoute.Step> steps = List.copyOf(order.steps);
    order.names.clear();
    order.steps.clear();
    for (boolean overflowPass : new boolean[] {saturated, !saturated}) {
      for (int i = 0; i < names.size(); i++) {
        if (isOverflow(names.get(i), preferred) == overflowPass) {
          order.names.add(names.get(i));
          order.steps.add(overflowPass ? ModelRoute.Step.OVERFLOW : steps.get(i));
        }
      }
    }
  }

  private boolean isOverflow(String name, String preferred) {
    ProviderConfig p = enabled.get(name);
    return p != null && p.overflow() && !name.equals(preferred);
  }

  /** A stable sort by placement score: equal scores keep the weighted random order. */
  static List<ProviderConfig> ranked(
      List<ProviderConfig> group, String model, Placement placement) {
    if (group.size() <= 1 || placement == Placement.NONE) {
      return group;
    }
    List<Placement.Score> scores = new ArrayList<>(group.size());
    List<Integer> index = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      scores.add(placement.score(group.get(i).name(), model));
      index.add(i);
    }
    index.sort((a, b) -> scores.get(a).compareTo(scores.get(b)));
    List<ProviderConfig> out = new ArrayList<>(group.size());
    for (int i : index) {
      out.add(group.get(i));
    }
    return out;
  }

  private static boolean serves(ProviderConfig p, String mapped, List<ProviderConfig> listed) {
    return p != null && (p.models().isEmpty() || p.name().equals(mapped) || listed.contains(p));
  }

  /**
   * Weighted random order without replacement (weight 1 each when all are 0). A single provider
   * costs nothing: no random draw.
   */
  static List<ProviderConfig> weighted(List<ProviderConfig> group, DoubleSupplier random) {
    if (group.size() <= 1) {
      return group;
    }
    List<ProviderConfig> pool = new ArrayList<>(group);
    List<ProviderConfig> out = new ArrayList<>(group.size());
    while (!pool.isEmpty()) {
      double total = 0;
      for (ProviderConfig p : pool) {
        total += Math.max(0, p.weight());
      }
      int pick = pool.size() - 1;
      if (total <= 0) {
        pick = 0; // all drained (weight 0): keep file order
      } else {
        double r = random.getAsDouble() * total;
        for (int i = 0; i < pool.size(); i++) {
          r -= Math.max(0, pool.get(i).weight());
          if (r < 0) {
            pick = i;
            break;
          }
        }
      }
      out.add(pool.remove(pick));
    }
    return out;
  }
}
