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
  record Plan(String model, List<String> candidates, Map<String, ModelRoute.Step> steps) {
    Plan(String model, List<String> candidates) {
      this(model, candidates, Map.of());
    }

    ModelRoute.Step step(String candidate) {
      return steps.get(candidate);
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
    // sized for every candidate at once: growing three tables per request showed in the profile
    int room = (listed.size() + 4 + config.fallback().size()) * 2;
    LinkedHashSet<String> order = new LinkedHashSet<>(room);
    Map<String, ModelRoute.Step> steps = new HashMap<>(room);
    LinkedHashSet<String> considered = new LinkedHashSet<>(room);
    if (preferred != null) {
      considered.add(preferred);
      if (serves(enabled.get(preferred), mapped, listed)) {
        add(order, steps, preferred, ModelRoute.Step.PREFERRED);
      }
    }
    if (mapped != null) {
      considered.add(mapped);
      if (enabled.containsKey(mapped)) {
        add(order, steps, mapped, ModelRoute.Step.MAPPED);
      }
    }
    for (ProviderConfig p : ranked(weighted(listed, random), resolved, placement)) {
      considered.add(p.name());
      add(order, steps, p.name(), ModelRoute.Step.LISTED);
    }
    String def = config.defaultProvider();
    if (def != null) {
      considered.add(def);
      boolean unclaimed = mapped == null && listed.isEmpty();
      if (unclaimed ? enabled.containsKey(def) : serves(enabled.get(def), mapped, listed)) {
        add(order, steps, def, ModelRoute.Step.DEFAULT);
      }
    }
    for (String f : config.fallback()) {
      considered.add(f);
      if (serves(enabled.get(f), mapped, listed)) {
        add(order, steps, f, ModelRoute.Step.FALLBACK);
      }
    }
    if (order.isEmpty()) {
      throw new NoProviderForModelException(resolved, List.copyOf(considered));
    }
    return new Plan(
        resolved, overflowLast(List.copyOf(order), preferred, resolved, placement, steps), steps);
  }

  /** Adds a candidate in its first place only, remembering the step that put it there. */
  private static void add(
      LinkedHashSet<String> order,
      Map<String, ModelRoute.Step> steps,
      String name,
      ModelRoute.Step step) {
    if (order.add(name)) {
      steps.put(name, step);
    }
  }

  /**
   * Overflow providers ({@code overflow: true}) go after the others, unless every other candidate
   * is saturated (in flight at its capacity, or failing): then they go first. A provider the caller
   * preferred keeps its place.
   */
  private List<String> overflowLast(
      List<String> order,
      String preferred,
      String model,
      Placement placement,
      Map<String, ModelRoute.Step> steps) {
    List<String> local = new ArrayList<>(order.size());
    List<String> overflow = new ArrayList<>(2);
    for (String name : order) {
      ProviderConfig p = enabled.get(name);
      (p != null && p.overflow() && !name.equals(preferred) ? overflow : local).add(name);
    }
    for (String name : overflow) {
      steps.put(name, ModelRoute.Step.OVERFLOW);
    }
    if (overflow.isEmpty()) {
      return order;
    }
    boolean saturated = true;
    for (String name : local) {
      if (placement.score(name, model).busy() < 1) {
        saturated = false;
        break;
      }
    }
    List<String> out = new ArrayList<>(order.size());
    if (saturated) {
      out.addAll(overflow);
      out.addAll(local);
    } else {
      out.addAll(local);
      out.addAll(overflow);
    }
    return List.copyOf(out);
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
