package core.llm.providers.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code options.lifecycle} block of an {@code ollama} provider: model residency policies that
 * run while the factory is started ({@code LlmService.start()}).
 *
 * <pre>{@code
 * - name: gpu
 *   type: ollama
 *   options:
 *     lifecycle:
 *       warm: [llama3.2, nomic-embed-text]   # loaded at start
 *       warmKeepAlive: forever               # or a duration (30m); default: the server's
 *       idleTimeout: 15m                     # unload models unused this long
 *       maxLoaded: 2                         # least recently used unloaded beyond this
 *       manageAllModels: false               # true: the policies also unload other clients' models
 *       reconcileInterval: 30s               # /api/ps poll; 30s when a policy needs it
 *       loadTimeout: 10m                     # first-byte limit of a (cold) load
 *       capabilityChecks: true               # fail fast on tools/thinking/images the model lacks
 *       versionChecks: true                  # fail fast on features newer than the server
 * }</pre>
 *
 * Every field is optional; absent means the library default. Nullable fields are null when absent.
 *
 * @param warmKeepAlive null (server default), {@link #FOREVER}, or a positive duration
 * @param manageAllModels whether idleTimeout and maxLoaded act on every model of the host; null or
 *     false: only on models this process loaded or used
 */
public record LifecycleConfig(
    List<String> warm,
    Duration warmKeepAlive,
    Duration idleTimeout,
    Integer maxLoaded,
    Duration reconcileInterval,
    Duration loadTimeout,
    Boolean capabilityChecks,
    Boolean versionChecks,
    Boolean manageAllModels) {

  /** The key of this block under a provider's {@code options}. */
  public static final String KEY = "lifecycle";

  /** {@code warmKeepAlive: forever} (or -1): keep warm models loaded until unloaded. */
  public static final Duration FOREVER = Duration.ofSeconds(-1);

  /** The poll used when idleTimeout or maxLoaded is set without a reconcileInterval. */
  public static final Duration DEFAULT_POLICY_INTERVAL = Duration.ofSeconds(30);

  private static final Set<String> KNOWN =
      new TreeSet<>(
          List.of(
              "warm",
              "warmKeepAlive",
              "idleTimeout",
              "maxLoaded",
              "reconcileInterval",
              "loadTimeout",
              "capabilityChecks",
              "versionChecks",
              "manageAllModels"));

  public LifecycleConfig {
    warm = warm == null ? List.of() : List.copyOf(warm);
  }

  /** No block: every library default. */
  public static final LifecycleConfig NONE =
      new LifecycleConfig(null, null, null, null, null, null, null, null, null);

  /** Whether anything needs the started factory: warm loads or a periodic poll. */
  public boolean hasBackgroundWork() {
    return !warm.isEmpty() || effectiveReconcileInterval() != null;
  }

  /** The reconcile interval, defaulted when a policy needs the poll and none was given. */
  public Duration effectiveReconcileInterval() {
    if (reconcileInterval != null) {
      return reconcileInterval;
    }
    boolean policy = idleTimeout != null || (maxLoaded != null && maxLoaded > 0);
    return policy ? DEFAULT_POLICY_INTERVAL : null;
  }

  /**
   * The block of that provider, read leniently. Call after validation: a block the validator
   * rejected throws IllegalArgumentException here.
   */
  public static LifecycleConfig of(ProviderConfig provider) {
    List<ConfigProblem> problems = new ArrayList<>();
    LifecycleConfig c = parse(provider.options().get(KEY), "options." + KEY, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).toString());
    }
    return c;
  }

  /**
   * Reads the block, adding a problem (with its path) for each bad field. Null or absent: {@link
   * #NONE}.
   */
  static LifecycleConfig parse(Object raw, String path, List<ConfigProblem> out) {
    if (raw == null) {
      return NONE;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      out.add(ConfigProblem.error(path, "must be a map of lifecycle settings. Known: " + KNOWN));
      return NONE;
    }
    for (Object key : map.keySet()) {
      if (!KNOWN.contains(String.valueOf(key))) {
        out.add(
            ConfigProblem.error(path + "." + key, "unknown lifecycle setting. Known: " + KNOWN));
      }
    }
    return new LifecycleConfig(
        models(map.get("warm"), path + ".warm", out),
        keepAlive(map.get("warmKeepAlive"), path + ".warmKeepAlive", out),
        duration(map.get("idleTimeout"), path + ".idleTimeout", out),
        count(map.get("maxLoaded"), path + ".maxLoaded", out),
        duration(map.get("reconcileInterval"), path + ".reconcileInterval", out),
        duration(map.get("loadTimeout"), path + ".loadTimeout", out),
        bool(map.get("capabilityChecks"), path + ".capabilityChecks", out),
        bool(map.get("versionChecks"), path + ".versionChecks", out),
        bool(map.get("manageAllModels"), path + ".manageAllModels", out));
  }

  private static List<String> models(Object v, String path, List<ConfigProblem> out) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      out.add(ConfigProblem.error(path, "must be a list of model names"));
      return List.of();
    }
    List<String> models = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object m = list.get(i);
      if (!(m instanceof String s) || s.isBlank()) {
        out.add(ConfigProblem.error(path + "[" + i + "]", "must be a model name"));
      } else {
        models.add(s.strip());
      }
    }
    return models;
  }

  private static Duration duration(Object v, String path, List<ConfigProblem> out) {
    if (v == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(String.valueOf(v));
      if (d.isNegative() || d.isZero()) {
        out.add(ConfigProblem.error(path, "must be positive"));
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      out.add(ConfigProblem.error(path, e.getMessage()));
      return null;
    }
  }

  private static Duration keepAlive(Object v, String path, List<ConfigProblem> out) {
    if (v == null) {
      return null;
    }
    String s = String.valueOf(v).strip();
    if (s.equalsIgnoreCase("forever") || s.equals("-1")) {
      return FOREVER;
    }
    return duration(v, path, out);
  }

  private static Integer count(Object v, String path, List<ConfigProblem> out) {
    if (v == null) {
      return null;
    }
    if (v instanceof Integer i && i >= 0) {
      return i;
    }
    out.add(ConfigProblem.error(path, "must be a whole number >= 0 (0 = no limit)"));
    return null;
  }

  private static Boolean bool(Object v, String path, List<ConfigProblem> out) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    out.add(ConfigProblem.error(path, "must be true or false"));
    return null;
  }
}
