package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final String PLANTED_KEY = "sk-PLANTED-c0ffee-0123456789abcdef";

  static final String EXAMPLE_YAML =
      """
      defaultProvider: ollama
      providers:
        - name: ollama
          type: ollama
          baseUrl: http://127.0.0.1:11434
          models: [llama3.2, qwen3:8b]
          timeouts: { connect: 5s, firstByte: 10m, idle: 2m }
        - name: openai
          type: openai
          baseUrl: https://api.openai.com/v1
          apiKeyEnv: OPENAI_API_KEY
          models: [gpt-4o-mini]
          weight: 2
      modelMapping: { "gpt-4o": openai }
      aliases: { fast: llama3.2:1b }
      fallback: [ollama, openai]
      """;

  static final String EXAMPLE_JSON =
      """
      {
        "defaultProvider": "ollama",
        "providers": [
          {"name": "ollama", "type": "ollama", "baseUrl": "http://127.0.0.1:11434",
           "models": ["llama3.2", "qwen3:8b"],
           "timeouts": {"connect": "5s", "firstByte": "10m", "idle": "2m"}},
          {"name": "openai", "type": "openai", "baseUrl": "https://api.openai.com/v1",
           "apiKeyEnv": "OPENAI_API_KEY", "models": ["gpt-4o-mini"], "weight": 2}
        ],
        "modelMapping": {"gpt-4o": "openai"},
        "aliases": {"fast": "llama3.2:1b"},
        "fallback": ["ollama", "openai"]
      }
      """;

  @TempDir Path dir;

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("OPENAI_API_KEY", PLANTED_KEY);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static ConfigLoader loader(Map<String, String> env) {
    return ConfigLoader.create(env, null);
  }

  private void assertExample(ConfigLoadResult r) {
    assertTrue(r.isValid(), r.report().toString());
    LlmConfig c = r.config();
    assertEquals("ollama", c.defaultProvider());
    assertEquals(List.of("ollama", "openai"), c.providerNames());
    ProviderConfig ollama = c.provider("ollama").orElseThrow();
    assertEquals("http://127.0.0.1:11434", ollama.baseUrl());
    assertEquals(List.of("llama3.2", "qwen3:8b"), ollama.models());
    assertEquals(
        new TimeoutConfig(
            Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(2), null),
        ollama.timeouts());
    assertEquals(1, ollama.weight());
    assertTrue(ollama.enabled());
    assertNull(ollama.maxRetries());
    ProviderConfig openai = c.provider("openai").orElseThrow();
    assertEquals(2, openai.weight());
    assertEquals("OPENAI_API_KEY", openai.apiKeyEnv());
    assertEquals(Map.of("gpt-4o", "openai"), c.modelMapping());
    assertEquals(Map.of("fast", "llama3.2:1b"), c.aliases());
    assertEquals(List.of("ollama", "openai"), c.fallback());
    assertEquals(RoutingConfig.DEFAULTS, c.routing());
    assertEquals(ReloadConfig.DEFAULTS, c.reload());
    assertEquals(Duration.ofMillis(250), c.reload().pollInterval());
    // resolution itself is the factory's Resolver (ResolutionTest); the config resolves aliases
    assertEquals("llama3.2:1b", c.resolveAlias("fast"));
  }

  @Test
  void loadsYamlFile() throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), EXAMPLE_YAML);
    assertExample(loader(env()).load(f));
  }

  @Test
  void loadsJsonFile() throws Exception {
    Path f = Files.writeString(dir.resolve("llm.json"), EXAMPLE_JSON);
    assertExample(loader(env()).load(f));
  }

  @Test
  void sniffsFormatWithoutExtension() throws Exception {
    assertExample(loader(env()).load(Files.writeString(dir.resolve("a.conf"), EXAMPLE_JSON)));
    assertExample(loader(env()).load(Files.writeString(dir.resolve("b.conf"), EXAMPLE_YAML)));
    assertEquals(ConfigFormat.JSON, ConfigFormat.sniff("  \n{"));
    assertEquals(ConfigFormat.YAML, ConfigFormat.sniff("providers: []"));
  }

  @Test
  void jsonRoundTripKeepsTheConfig() {
    LlmConfig c = loader(env()).parse(EXAMPLE_YAML, ConfigFormat.YAML).orThrow();
    String json = ConfigLoader.toJson(c);
    assertEquals(c, loader(env()).parse(json, ConfigFormat.JSON).orThrow(), json);
  }

  @Test
  void routingAndReloadSettings() {
    LlmConfig c =
        loader(env())
            .parse(
                EXAMPLE_YAML
                    + """
        routing: { maxAttempts: 5, initialBackoff: 100ms, maxBackoff: PT20S, breakerFailureThreshold: 2, breakerCooldown: 1m30s }
        reload: { watch: false, pollInterval: 1s }
        """,
                ConfigFormat.YAML)
            .orThrow();
    assertEquals(
        new RoutingConfig(
            5, Duration.ofMillis(100), Duration.ofSeconds(20), 2, Duration.ofSeconds(90)),
        c.routing());
    assertEquals(new ReloadConfig(false, Duration.ofSeconds(1)), c.reload());
  }

  @Test
  void gatewayCluster() {
    LlmConfig c =
        loader(env())
            .parse(
                EXAMPLE_YAML
                    + """
        gateway:
          cluster:
            name: prod
            host: 10.0.0.5
            members: [10.0.0.5, "10.0.0.6:5702"]
        """,
                ConfigFormat.YAML)
            .orThrow();
    GatewayConfig.Cluster cluster = c.gateway().cluster();
    assertTrue(cluster.enabled(), "a cluster section turns cluster mode on");
    assertEquals("prod", cluster.name());
    assertEquals("10.0.0.5", cluster.host());
    assertEquals(GatewayConfig.Cluster.DEFAULT_PORT, cluster.port());
    assertEquals(List.of("10.0.0.5", "10.0.0.6:5702"), cluster.members());
    assertEquals(c, loader(env()).parse(ConfigLoader.toJson(c), ConfigFormat.JSON).orThrow());
    assertFalse(
        loader(env())
            .parse(EXAMPLE_YAML, ConfigFormat.YAML)
            .orThrow()
            .gateway()
            .cluster()
            .enabled(),
        "off without the section");

    ConfigLoadResult bad =
        loader(env())
            .parse(
                EXAMPLE_YAML + "gateway: { cluster: { port: 70000, peers: [a] } }\n",
                ConfigFormat.YAML);
    assertFalse(bad.isValid());
    String problems = bad.report().toString();
    assertTrue(problems.contains("gateway.cluster.port"), problems);
    assertTrue(problems.contains("peers"), problems);
  }

  @Test
  void contextFitAndItsFallbacks() {
    LlmConfig c =
        loader(env())
            .parse(
                EXAMPLE_YAML
                    + """
        routing:
          contextFit: Fallback
          contextWindowFallbacks: { llama3.2: [qwen3, claude-sonnet-4-5], mistral: qwen3 }
        """,
                ConfigFormat.YAML)
            .orThrow();
    assertEquals(ContextFit.FALLBACK, c.routing().contextFit());
    assertEquals(
        List.of("qwen3", "claude-sonnet-4-5"),
        c.routing().contextWindowFallbacks("llama3.2:latest"));
    assertEquals(List.of("qwen3"), c.routing().contextWindowFallbacks("mistral"));
    assertEquals(List.of(), c.routing().contextWindowFallbacks("gemma3"));
    assertEquals(c, loader(env()).parse(ConfigLoader.toJson(c), ConfigFormat.JSON).orThrow());

    ConfigLoadResult bad =
        loader(env())
            .parse(
                EXAMPLE_YAML
                    + """
        routing: { contextFit: truncate, contextWindowFallbacks: { llama3.2: [] } }
        """,
                ConfigFormat.YAML);
    assertFalse(bad.isValid());
    String errors = bad.report().errors().toString();
    assertTrue(
        errors.contains("routing.contextFit: unknown value 'truncate'. Allowed: off, fail, raise"),
        errors);
    assertTrue(
        errors.contains("routing.contextWindowFallbacks[\"llama3.2\"]: names no model"), errors);

    ConfigLoadResult noFallbacks =
        loader(env())
            .parse(EXAMPLE_YAML + "routing: { contextFit: fallback }\n", ConfigFormat.YAML);
    assertTrue(noFallbacks.isValid());
    assertTrue(
        noFallbacks.report().warnings().toString().contains("names no model: a prompt"),
        noFallbacks.report().warnings().toString());
  }

  // ---- environment overrides ----

  @Test
  void llmProviderSetsDefault() {
    LlmConfig c =
        loader(env("LLM_PROVIDER", " openai ")).parse(EXAMPLE_YAML, ConfigFormat.YAML).orThrow();
    assertEquals("openai", c.defaultProvider());
  }

  @Test
  void llmProviderNamingUnknownProviderIsReported() {
    ConfigLoadResult r = loader(env("LLM_PROVIDER", "nope")).parse(EXAMPLE_YAML, ConfigFormat.YAML);
    assertFalse(r.isValid());
    assertEquals(
        "defaultProvider: unknown provider 'nope'. Available: [ollama, openai]",
        r.report().errors().get(0).toString());
  }

  @Test
  void providerModelMappingAddsMappings() {
    LlmConfig c =
        loader(
                env(
                    "PROVIDER_MODEL_MAPPING",
                    "{\"ollama\": [\"llama3.2:1b\", \"mistral\"], \"openai\": \"o3\"}"))
            .parse(EXAMPLE_YAML, ConfigFormat.YAML)
            .orThrow();
    assertEquals(
        Map.of("gpt-4o", "openai", "llama3.2:1b", "ollama", "mistral", "ollama", "o3", "openai"),
        c.modelMapping());
  }

  @Test
  void malformedProviderModelMappingNamesTheVariable() {
    ConfigLoadResult r =
        loader(env("PROVIDER_MODEL_MAPPING", "{\"ollama\": [\"a\","))
            .parse(EXAMPLE_YAML, ConfigFormat.YAML);
    assertFalse(r.isValid());
    ConfigProblem p = r.report().errors().get(0);
    assertEquals("env.PROVIDER_MODEL_MAPPING", p.path());
    assertTrue(p.message().startsWith("malformed JSON"), p.message());

    ConfigLoadResult r2 =
        loader(env("PROVIDER_MODEL_MAPPING", "[1,2]")).parse(EXAMPLE_YAML, ConfigFormat.YAML);
    assertEquals("env.PROVIDER_MODEL_MAPPING", r2.report().errors().get(0).path());

    ConfigLoadResult r3 =
        loader(env("PROVIDER_MODEL_MAPPING", "{\"ghost\": [\"m\"]}"))
            .parse(EXAMPLE_YAML, ConfigFormat.YAML);
    assertEquals(
        "modelMapping[\"m\"]: unknown provider 'ghost'. Available: [ollama, openai]",
        r3.report().errors().get(0).toString());
  }

  @Test
  void ollamaHostOverridesProviderNamedOllama() {
    LlmConfig c =
        loader(env("OLLAMA_HOST", "gpu-box:8080")).parse(EXAMPLE_YAML, ConfigFormat.YAML).orThrow();
    assertEquals("http://gpu-box:8080", c.provider("ollama").orElseThrow().baseUrl());
    assertEquals("https://api.openai.com/v1", c.provider("openai").orElseThrow().baseUrl());
  }

  @Test
  void ollamaHostTargetsFirstOllamaWithoutBaseUrl() {
    String yaml =
        """
        providers:
          - { name: remote, type: ollama, baseUrl: "http://remote:11434" }
          - { name: local, type: ollama }
          - { name: other, type: ollama }
        """;
    LlmConfig c =
        loader(env("OLLAMA_HOST", "0.0.0.0:9000")).parse(yaml, ConfigFormat.YAML).orThrow();
    assertEquals("http://remote:11434", c.provider("remote").orElseThrow().baseUrl());
    assertEquals("http://127.0.0.1:9000", c.provider("local").orElseThrow().baseUrl());
    assertEquals(
        "http://127.0.0.1:11434", c.provider("other").orElseThrow().baseUrl(), "default address");
    assertEquals("remote", c.defaultProvider(), "first enabled provider when none is named");
  }

  @Test
  void ollamaBaseUrlsFollowOllamaHostRulesInEveryRoute() {
    String yaml =
        """
        providers:
          - { name: a, type: ollama, baseUrl: "localhost:11434" }
          - { name: b, type: ollama, baseUrl: "http://x:1234?token=abc" }
          - { name: c, type: ollama, baseUrl: "http://user:pw@x:1234" }
        """;
    ConfigLoadResult r = loader(Map.of()).parse(yaml, ConfigFormat.YAML);
    String all = r.report().toString();
    assertFalse(all.contains("providers[0]"), all);
    assertTrue(
        all.contains("providers[1].baseUrl: Invalid baseUrl: a base URL takes no query"), all);
    assertTrue(all.contains("Accepted forms"), all);
    assertTrue(all.contains("providers[2].baseUrl: must not contain user info"), all);
    assertFalse(all.contains("abc") || all.contains("pw@"), all);

    ConfigLoadResult query = loader(Map.of("OLLAMA_HOST", "http://x:1234?token=abc")).embedded();
    String q = query.report().toString();
    assertTrue(q.contains("env.OLLAMA_HOST: Invalid OLLAMA_HOST: a base URL takes no query"), q);
    assertFalse(q.contains("abc"), q);
    ConfigLoadResult creds = loader(Map.of("OLLAMA_HOST", "http://user:pw@127.0.0.1:9")).embedded();
    String c = creds.report().toString();
    assertTrue(c.contains("env.OLLAMA_HOST: must not contain user info"), c);
    assertFalse(c.contains("pw"), c);
  }

  @Test
  void embeddedDefaultWithoutFile() {
    LlmConfig c = loader(Map.of()).load(null).orThrow();
    assertEquals("ollama", c.defaultProvider());
    assertEquals(
        List.of(ProviderConfig.of("ollama", "ollama", "http://127.0.0.1:11434")), c.providers());

    LlmConfig withHost =
        loader(
                Map.of(
                    "OLLAMA_HOST",
                    "https://example.com/ollama/",
                    "PROVIDER_MODEL_MAPPING",
                    "{\"ollama\": [\"mistral\"]}"))
            .embedded()
            .orThrow();
    assertEquals(
        "https://example.com:443/ollama", withHost.provider("ollama").orElseThrow().baseUrl());
    assertEquals(Map.of("mistral", "ollama"), withHost.modelMapping());

    ConfigLoadResult bad = loader(Map.of("LLM_PROVIDER", "openai")).embedded();
    assertEquals(
        "defaultProvider: unknown provider 'openai'. Available: [ollama]",
        bad.report().errors().get(0).toString());
  }

  // ---- validation ----

  static final String BROKEN_YAML =
      """
      defaultProvider: ghost
      providers:
        - name: ollama
          type: ollama
          baseUrl: http://127.0.0.1:11434
          timeouts: { connect: 5 parsecs, idle: -PT1S }
          maxRetries: -1
        - name: openai
          type: openai
          baseUrl: ftp://nowhere
          apiKeyEnv: MISSING_OPENAI_KEY
          weight: -3
        - name: claude
          type: antropic
          baseURL: https://api.anthropic.com
          apiKeyEnv: ANTHROPIC_API_KEY
        - name: ollama
          type: mock
          options: { apiKey: nope, temperature: 0.2 }
        - type: custom
          apiKeyEnv: CUSTOM_KEY
      modelMapping: { "gpt-4o": nobody }
      fallback: [ollama, phantom]
      routing: { maxAttempts: 0, initialBackoff: 10s, maxBackoff: 1s }
      reload: { pollInterval: 1ms }
      colour: blue
      """;

  @Test
  void reportsEveryProblemAtOnceWithPaths() {
    Set<String> types = Set.of("ollama", "openai", "anthropic", "mock", "custom");
    ConfigLoadResult r =
        new ConfigLoader(env("ANTHROPIC_API_KEY", PLANTED_KEY)::get, types)
            .parse(BROKEN_YAML, ConfigFormat.YAML);
    assertFalse(r.isValid());
    Map<String, String> byPath =
        r.report().problems().stream()
            .collect(
                Collectors.toMap(
                    ConfigProblem::path, ConfigProblem::message, (a, b) -> a + " | " + b));
    String all = r.report().toString();
    assertTrue(
        byPath.get("providers[0].timeouts.connect").startsWith("bad duration '5 parsecs'"), all);
    assertEquals("must be positive", byPath.get("providers[0].timeouts.idle"), all);
    assertEquals("must be >= 0", byPath.get("providers[0].maxRetries"), all);
    assertEquals("not an http(s) URL", byPath.get("providers[1].baseUrl"), all);
    assertEquals(
        "environment variable MISSING_OPENAI_KEY is not set: this provider is unavailable until it is",
        byPath.get("providers[1].apiKeyEnv"),
        all);
    assertEquals("must be >= 0", byPath.get("providers[1].weight"), all);
    assertEquals(
        "Unknown LLM provider type 'antropic'. Available: [anthropic, custom, mock, ollama, openai]",
        byPath.get("providers[2].type"),
        all);
    assertTrue(
        byPath.get("providers[2].baseURL").startsWith("unknown key (did you mean 'baseUrl'?)"),
        all);
    assertEquals(
        "duplicate provider name 'ollama' (also providers[0])",
        byPath.get("providers[3].name"),
        all);
    assertTrue(
        byPath
            .get("providers[3].options.apiKey")
            .startsWith("credentials do not belong in the file"),
        all);
    assertEquals("required", byPath.get("providers[4].name"), all);
    assertEquals(
        "environment variable CUSTOM_KEY is not set", byPath.get("providers[4].apiKeyEnv"), all);
    assertEquals(1, r.report().at("providers[4].apiKeyEnv").size());
    assertFalse(r.report().at("providers[4].apiKeyEnv").get(0).isError(), "other types: a warning");
    assertEquals(
        "unknown provider 'ghost'. Available: [claude, ollama, openai]",
        byPath.get("defaultProvider"),
        all);
    assertEquals(
        "unknown provider 'nobody'. Available: [claude, ollama, openai]",
        byPath.get("modelMapping[\"gpt-4o\"]"),
        all);
    assertEquals(
        "unknown provider 'phantom'. Available: [claude, ollama, openai]",
        byPath.get("fallback[1]"),
        all);
    assertEquals("must be >= 1", byPath.get("routing.maxAttempts"), all);
    assertEquals("must be >= routing.initialBackoff", byPath.get("routing.maxBackoff"), all);
    assertEquals("must be at least 10ms", byPath.get("reload.pollInterval"), all);
    assertTrue(byPath.get("colour").startsWith("unknown key"), all);
    assertEquals(19, r.report().problems().size(), all);
    assertEquals(
        17,
        r.report().errors().size(),
        all); // a missing key is a warning: that provider is unavailable
    assertTrue(all.startsWith("Invalid configuration (17 errors, 2 warnings):\n  - "), all);
    assertTrue(all.contains("\n  - providers[1].baseUrl: not an http(s) URL\n"), all);
  }

  @Test
  void unknownTypeMessageIsExact() {
    ConfigLoadResult r =
        loader(env()).parse("providers: [{name: c, type: antropic}]", ConfigFormat.YAML);
    assertEquals(
        List.of(
            ConfigProblem.error(
                "providers[0].type",
                "Unknown LLM provider type 'antropic'. Available: [anthropic, mock, ollama, openai]")),
        r.report().problems());
    ConfigValidationException e = assertThrows(ConfigValidationException.class, r::orThrow);
    assertEquals(ErrorKind.BAD_REQUEST, e.kind());
    assertEquals(r.report(), e.report());
  }

  @Test
  void missingKeyIsIgnoredForOllamaAndMockAndAnErrorForAnthropic() {
    String yaml =
        """
        providers:
          - { name: o, type: ollama, apiKeyEnv: OLLAMA_API_KEY }
          - { name: m, type: mock, apiKeyEnv: MOCK_KEY }
          - { name: a, type: anthropic, apiKeyEnv: ANTHROPIC_API_KEY }
        """;
    ConfigLoadResult r = loader(Map.of()).parse(yaml, ConfigFormat.YAML);
    assertEquals(
        List.of(
            ConfigProblem.warning(
                "providers[2].apiKeyEnv",
                "environment variable ANTHROPIC_API_KEY is not set: this provider is unavailable until it is")),
        r.report().problems());
    assertTrue(r.isValid(), "the rest of the configuration works");
    assertTrue(
        loader(Map.of("ANTHROPIC_API_KEY", PLANTED_KEY)).parse(yaml, ConfigFormat.YAML).isValid());
  }

  @Test
  void yamlSyntaxErrorHasLineAndColumn() {
    ConfigLoadResult r =
        loader(env()).parse("providers:\n  - name: a\n    type: [ollama\n", ConfigFormat.YAML);
    assertNull(r.config());
    ConfigProblem p = r.report().problems().get(0);
    assertEquals("(file)", p.path());
    assertTrue(p.message().matches("YAML syntax error at line \\d+, column \\d+: .+"), p.message());
    ConfigLoadResult j = loader(env()).parse("{\"providers\": [}", ConfigFormat.JSON);
    assertTrue(
        j.report().problems().get(0).message().startsWith("JSON syntax error at line 1, column 16"),
        j.report().toString());
  }

  @Test
  void duplicateYamlKeyIsReported() {
    ConfigLoadResult r =
        loader(env()).parse("defaultProvider: a\ndefaultProvider: b\n", ConfigFormat.YAML);
    assertFalse(r.isValid());
    assertTrue(
        r.report().problems().get(0).message().contains("Duplicate field"), r.report().toString());
  }

  @Test
  void wrongTypesAreReported() {
    ConfigLoadResult r =
        loader(env())
            .parse(
                """
        providers:
          - { name: a, type: ollama, weight: heavy, enabled: maybe, models: {x: 1}, timeouts: 5s }
        fallback: { a: b }
        """,
                ConfigFormat.YAML);
    List<String> paths = r.report().problems().stream().map(ConfigProblem::path).toList();
    assertEquals(
        List.of(
            "providers[0].weight",
            "providers[0].enabled",
            "providers[0].timeouts",
            "providers[0].models",
            "fallback"),
        paths,
        r.report().toString());
  }

  @Test
  void missingFileIsAProblem() {
    ConfigLoadResult r = loader(env()).load(dir.resolve("absent.yaml"));
    assertNull(r.config());
    assertEquals("(file)", r.report().problems().get(0).path());
    assertTrue(r.report().problems().get(0).message().endsWith("file not found"));
  }

  @Test
  void emptyProvidersListIsAProblem() {
    ConfigLoadResult r = loader(env()).parse("", ConfigFormat.YAML);
    assertEquals(
        List.of(ConfigProblem.error("providers", "at least one provider is required")),
        r.report().problems());
  }

  // ---- secrets ----

  @Test
  void keysNeverAppearInToStringOrMessages() {
    Map<String, String> e =
        env(
            "ANTHROPIC_API_KEY",
            PLANTED_KEY,
            "LLM_PROVIDER",
            "ghost",
            "PROVIDER_MODEL_MAPPING",
            "{bad json");
    ConfigLoadResult good = loader(env()).parse(EXAMPLE_YAML, ConfigFormat.YAML);
    ConfigLoadResult bad = loader(e).parse(BROKEN_YAML, ConfigFormat.YAML);
    // a key pasted into apiKeyEnv by mistake is not echoed either
    ConfigLoadResult pasted =
        loader(e)
            .parse(
                "providers: [{name: x, type: openai, apiKeyEnv: " + PLANTED_KEY + "}]",
                ConfigFormat.YAML);
    ConfigValidationException ex = assertThrows(ConfigValidationException.class, bad::orThrow);
    for (String s :
        List.of(
            good.config().toString(),
            good.report().toString(),
            bad.config().toString(),
            bad.report().toString(),
            ex.getMessage(),
            pasted.report().toString(),
            pasted.config().toString(),
            ConfigLoader.toJson(good.config()))) {
      assertFalse(s.contains(PLANTED_KEY), s);
      assertFalse(s.contains("PLANTED"), s);
    }
    assertTrue(
        pasted
            .report()
            .at("providers[0].apiKeyEnv")
            .get(0)
            .message()
            .startsWith("does not look like"));
  }

  @Test
  void keysMadeOnlyOfWordCharactersPastedIntoApiKeyEnvAreNeverEchoed() {
    // Hugging Face, Groq, Fireworks keys and plain hex match [A-Za-z0-9_]: they are not variable
    // names
    // by convention (upper-case), so they are treated as possible secrets.
    for (String key :
        List.of(
            "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345",
            "gsk_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "fw_3ZzYxWvUtSrQpOnMlKjIhGfEdCbA",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")) {
      ConfigLoadResult r =
          loader(env())
              .parse(
                  "providers: [{name: x, type: openai, apiKeyEnv: " + key + "}]",
                  ConfigFormat.YAML);
      for (String s : List.of(r.report().toString(), r.config().toString())) {
        assertFalse(s.contains(key), s);
      }
      assertTrue(r.report().at("providers[0].apiKeyEnv").get(0).isError(), key);
    }
  }

  @Test
  void queryValuesOfPrintedUrlsAreMasked() {
    ProviderConfig p =
        new ProviderConfig(
            "x",
            "openai",
            "https://host/v1?key=" + PLANTED_KEY + "&flag",
            "OPENAI_API_KEY",
            null,
            2,
            1,
            true,
            List.of("m"),
            Map.of());
    String s = p.toString();
    assertFalse(s.contains(PLANTED_KEY), s);
    assertTrue(s.contains("https://host/v1?key=****&****"), s);
  }

  @Test
  void durationsBeyondAYearAreRejected() {
    // 200000000000d fits a Duration but not a long of milliseconds: it used to pass and then hang
    // the first stream that armed its idle timer.
    ConfigLoadResult r =
        loader(env())
            .parse(
                "providers: [{name: o, type: ollama, timeouts: { idle: 200000000000d, total: 365d }}]",
                ConfigFormat.YAML);
    assertEquals(
        List.of(
            ConfigProblem.error(
                "providers[0].timeouts.idle",
                "duration '200000000000d' is too long: at most 365d")),
        r.report().problems());
  }

  @Test
  void overLongValuesAreCutInMessages() {
    String huge = "p".repeat(100_000);
    ConfigLoadResult r =
        loader(env())
            .parse(
                "providers: [{name: "
                    + huge
                    + ", type: mock}, {name: "
                    + huge
                    + ", type: mock}]\n"
                    + "defaultProvider: q"
                    + huge,
                ConfigFormat.YAML);
    String report = r.report().toString();
    assertFalse(r.report().problems().isEmpty());
    for (ConfigProblem problem : r.report().problems()) {
      assertTrue(
          problem.message().length() < 1100,
          problem.message().substring(0, Math.min(200, problem.message().length())));
    }
    assertTrue(
        report.contains("more characters)"), report.substring(0, Math.min(300, report.length())));
  }

  @Test
  void toStringMasksCredentialsInUrlsAndOptions() {
    ProviderConfig p =
        new ProviderConfig(
            "x",
            "openai",
            "https://user:" + PLANTED_KEY + "@host/v1",
            "OPENAI_API_KEY",
            null,
            2,
            1,
            true,
            List.of("m"),
            Map.of("headers", Map.of("Authorization", "Bearer " + PLANTED_KEY), "maxTokens", 5));
    String s = p.toString();
    assertFalse(s.contains(PLANTED_KEY), s);
    assertTrue(s.contains("https://****@host/v1"), s);
    assertTrue(s.contains("Authorization=****"), s);
    assertTrue(s.contains("maxTokens=5"), s);
    assertTrue(s.contains("apiKeyEnv=OPENAI_API_KEY"), s);
  }

  @Test
  void secretResolution() {
    ProviderConfig p = ProviderConfig.of("openai", "openai", null);
    assertEquals(Optional.empty(), ApiKeys.resolve(p, env()::get));
    ProviderConfig withEnv =
        new ProviderConfig(
            "openai", "openai", null, "OPENAI_API_KEY", null, null, 1, true, null, null);
    Secret s = ApiKeys.resolve(withEnv, env()::get).orElseThrow();
    assertEquals(PLANTED_KEY, s.reveal());
    assertEquals("****", s.toString());
    assertEquals("Optional[****]", SecretResolver.fromEnv(env()::get).resolve(withEnv).toString());
    assertEquals(Optional.empty(), ApiKeys.resolve(withEnv, Map.of("OPENAI_API_KEY", "  ")::get));
    assertEquals(Optional.empty(), ApiKeys.resolve(withEnv, k -> null));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("pt30s"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    for (String bad : List.of("", "5", "s", "5 s", "5sec", "-5s", "PTX", "1.5s")) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
  }
}
