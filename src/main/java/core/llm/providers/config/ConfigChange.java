package core.llm.providers.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a successful reload changed.
 *
 * @param oldConfig the configuration replaced (never null)
 * @param newConfig the configuration now in force (never null)
 * @param added providers only in the new configuration
 * @param changed providers whose {@link ProviderConfig} differs in any field
 * @param removed providers only in the old configuration
 */
public record ConfigChange(
    LlmConfig oldConfig,
    LlmConfig newConfig,
    Set<String> added,
    Set<String> changed,
    Set<String> removed) {

  public ConfigChange {
    Objects.requireNonNull(oldConfig, "oldConfig");
    Objects.requireNonNull(newConfig, "newConfig");
    added = Collections.unmodifiableSet(new LinkedHashSet<>(added));
    changed = Collections.unmodifiableSet(new LinkedHashSet<>(changed));
    removed = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
  }

  /** The diff of two configurations (providers compared by name, then by value). */
  public static ConfigChange between(LlmConfig oldConfig, LlmConfig newConfig) {
    Map<String, ProviderConfig> before = byName(oldConfig);
    Map<String, ProviderConfig> after = byName(newConfig);
    Set<String> added = new LinkedHashSet<>();
    Set<String> changed = new LinkedHashSet<>();
    Set<String> removed = new LinkedHashSet<>();
    after.forEach(
        (name, p) -> {
          ProviderConfig was = before.get(name);
          if (was == null) {
            added.add(name);
          } else if (!was.equals(p)) {
            changed.add(name);
          }
        });
    before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(removed::add);
    return new ConfigChange(oldConfig, newConfig, added, changed, removed);
  }

  private static Map<String, ProviderConfig> byName(LlmConfig c) {
    return c.providers().stream()
        .filter(p -> p.name() != null)
        .collect(
            Collectors.toMap(
                ProviderConfig::name,
                Function.identity(),
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }

  /** Whether any provider was added, changed or removed. */
  public boolean providersChanged() {
    return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
  }

  /**
   * Whether anything outside the provider entries changed: defaultProvider, modelMapping, aliases,
   * fallback, routing, reload or the gateway section.
   */
  public boolean globalsChanged() {
    return !Objects.equals(oldConfig.defaultProvider(), newConfig.defaultProvider())
        || !oldConfig.modelMapping().equals(newConfig.modelMapping())
        || !oldConfig.aliases().equals(newConfig.aliases())
        || !oldConfig.fallback().equals(newConfig.fallback())
        || !oldConfig.routing().equals(newConfig.routing())
        || !oldConfig.reload().equals(newConfig.reload())
        || !oldConfig.gateway().equals(newConfig.gateway());
  }

  /** Whether the configurations differ at all. */
  public boolean isEmpty() {
    return oldConfig.equals(newConfig);
  }

  /** Whether this provider was added, changed or removed (its client must be rebuilt or closed). */
  public boolean affects(String provider) {
    return added.contains(provider) || changed.contains(provider) || removed.contains(provider);
  }

  @Override
  public String toString() {
    return "ConfigChange[added="
        + added
        + ", changed="
        + changed
        + ", removed="
        + removed
        + ", globalsChanged="
        + globalsChanged()
        + "]";
  }
}
