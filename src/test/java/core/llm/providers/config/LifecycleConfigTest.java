package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The {@code options.lifecycle} block of an ollama provider: reading, defaults and validation. */
class LifecycleConfigTest {
  static final Set<String> TYPES = Set.of("ollama", "openai", "anthropic", "mock");

  private static ConfigLoadResult parse(String yaml) {
    return new ConfigLoader(Map.<String, String>of()::get, TYPES).parse(yaml, ConfigFormat.YAML);
  }

  @Test
  void everySettingIsRead() {
    ConfigLoadResult r =
        parse(
            """
        providers:
          - name: gpu
            type: ollama
            baseUrl: http://gpu:11434
            options:
              lifecycle:
                warm: [llama3.2, " nomic-embed-text "]
                warmKeepAlive: forever
                idleTimeout: 15m
                maxLoaded: 2
                reconcileInterval: 10s
                loadTimeout: 20m
                capabilityChecks: false
                versionChecks: true
                manageAllModels: true
        """);
    assertTrue(r.isValid(), r.report().toString());
    LifecycleConfig c = LifecycleConfig.of(r.config().providers().get(0));
    assertEquals(List.of("llama3.2", "nomic-embed-text"), c.warm());
    assertEquals(LifecycleConfig.FOREVER, c.warmKeepAlive());
    assertEquals(Duration.ofMinutes(15), c.idleTimeout());
    assertEquals(2, c.maxLoaded());
    assertEquals(Duration.ofSeconds(10), c.effectiveReconcileInterval());
    assertEquals(Duration.ofMinutes(20), c.loadTimeout());
    assertEquals(false, c.capabilityChecks());
    assertEquals(true, c.versionChecks());
    assertEquals(true, c.manageAllModels());
    assertTrue(c.hasBackgroundWork());
  }

  @Test
  void absentBlockMeansDefaultsAndNoBackgroundWork() {
    LifecycleConfig c = LifecycleConfig.of(ProviderConfig.of("o", "ollama", "http://h:11434"));
    assertEquals(LifecycleConfig.NONE, c);
    assertFalse(c.hasBackgroundWork());
    assertNull(c.effectiveReconcileInterval());
  }

  @Test
  void aPolicyWithoutAPollGetsTheDefaultPoll() {
    ConfigLoadResult r =
        parse(
            """
        providers:
          - { name: o, type: ollama, options: { lifecycle: { idleTimeout: 5m } } }
          - { name: p, type: ollama, options: { lifecycle: { maxLoaded: 0 } } }
          - { name: q, type: ollama, options: { lifecycle: { warmKeepAlive: 30m, warm: [m] } } }
        """);
    assertTrue(r.isValid(), r.report().toString());
    List<ProviderConfig> ps = r.config().providers();
    assertEquals(
        LifecycleConfig.DEFAULT_POLICY_INTERVAL,
        LifecycleConfig.of(ps.get(0)).effectiveReconcileInterval());
    assertNull(
        LifecycleConfig.of(ps.get(1)).effectiveReconcileInterval(),
        "maxLoaded 0 is no limit: no poll");
    LifecycleConfig q = LifecycleConfig.of(ps.get(2));
    assertEquals(Duration.ofMinutes(30), q.warmKeepAlive());
    assertNull(q.effectiveReconcileInterval());
    assertTrue(q.hasBackgroundWork(), "a warm list is start-up work");
  }

  @Test
  void everyBadSettingIsReportedWithItsPath() {
    ConfigLoadResult r =
        parse(
            """
        providers:
          - name: o
            type: ollama
            options:
              lifecycle:
                warm: [llama3.2, 7, ""]
                warmKeepAlive: sometimes
                idleTimeout: 0
                maxLoaded: -1
                reconcileInterval: 5 parsecs
                loadTimeout: 10m
                capabilityChecks: maybe
                manageAllModels: often
                colour: blue
          - { name: p, type: ollama, options: { lifecycle: [warm] } }
          - { name: q, type: openai, baseUrl: "http://v:8000/v1", options: { lifecycle: { warm: [m] } } }
        """);
    assertFalse(r.isValid());
    Map<String, String> byPath =
        r.report().problems().stream()
            .collect(
                Collectors.toMap(
                    ConfigProblem::path, ConfigProblem::toString, (a, b) -> a + " | " + b));
    String all = r.report().toString();
    String l = "providers[0].options.lifecycle";
    assertEquals(l + ".warm[1]: must be a model name", byPath.get(l + ".warm[1]"), all);
    assertEquals(l + ".warm[2]: must be a model name", byPath.get(l + ".warm[2]"), all);
    assertTrue(byPath.get(l + ".warmKeepAlive").contains("bad duration 'sometimes'"), all);
    assertEquals(l + ".idleTimeout: must be positive", byPath.get(l + ".idleTimeout"), all);
    assertTrue(byPath.get(l + ".maxLoaded").contains("must be a whole number >= 0"), all);
    assertTrue(byPath.get(l + ".reconcileInterval").contains("bad duration '5 parsecs'"), all);
    assertFalse(byPath.containsKey(l + ".loadTimeout"), all);
    assertEquals(
        l + ".capabilityChecks: must be true or false", byPath.get(l + ".capabilityChecks"), all);
    assertEquals(
        l + ".manageAllModels: must be true or false", byPath.get(l + ".manageAllModels"), all);
    assertTrue(
        byPath.get(l + ".colour").contains("unknown lifecycle setting. Known: [capabilityChecks,"),
        all);
    assertTrue(byPath.get("providers[1].options.lifecycle").contains("must be a map"), all);
    String other = byPath.get("providers[2].options.lifecycle");
    assertTrue(other.endsWith("ignored for type openai (warning)"), all);
    assertEquals(11, r.report().problems().size(), all);
  }

  @Test
  void parallelIsAWholeNumberOfAtLeastOne() {
    ConfigLoadResult r =
        parse(
            """
        providers:
          - { name: a, type: ollama, options: { parallel: 4 } }
          - { name: b, type: ollama, options: { parallel: 0 } }
          - { name: c, type: ollama, options: { parallel: lots } }
        """);
    String all = r.report().toString();
    assertEquals(2, r.report().problems().size(), all);
    assertTrue(all.contains("providers[1].options.parallel: must be a whole number >= 1"), all);
    assertTrue(all.contains("providers[2].options.parallel: must be a whole number >= 1"), all);
  }
}
