package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import core.llm.common.ModelNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration: immutable, compared by value, safe to share across threads.
 *
 * <p>After {@link ConfigLoader} it has environment overrides applied, {@code defaultProvider} set
 * (the first enabled provider when the file names none) and every ollama provider's {@code baseUrl}
 * filled.
 *
 * @param defaultProvider provider used when nothing else decides
 * @param providers providers in file order (never null)
 * @param modelMapping model name → provider name (keys compared with {@link ModelNames#sameModel})
 * @param aliases alias → model name; resolved before modelMapping (same name space)
 * @param fallback provider names tried in order after the chosen one failed
 * @param routing retry and breaker settings (never null)
 * @param reload hot-reload settings (never null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "defaultProvider",
  "providers",
  "modelMapping",
  "aliases",
  "fallback",
  "routing",
  "reload",
  "gateway"
})
public record LlmConfig(
    String defaultProvider,
    List<ProviderConfig> providers,
    Map<String, String> modelMapping,
    Map<String, String> aliases,
    List<String> fallback,
    RoutingConfig routing,
    ReloadConfig reload,
    GatewayConfig gateway) {

  /** Name of the provider in the embedded default configuration. */
  public static final String EMBEDDED_PROVIDER = "ollama";

  /** Nulls become empty/defaults; collections are copied unmodifiable (map order kept). */
  public LlmConfig {
    providers =
        providers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(providers));
    modelMapping =
        modelMapping == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(modelMapping));
    aliases =
        aliases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    fallback =
        fallback == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(fallback));
    routing = routing == null ? RoutingConfig.DEFAULTS : routing;
    reload = reload == null ? ReloadConfig.DEFAULTS : reload;
    gateway = gateway == null ? GatewayConfig.DEFAULTS : gateway;
  }

  /** A configuration without a {@code gateway:} section (its defaults). */
  public LlmConfig(
      String defaultProvider,
      List<ProviderConfig> providers,
      Map<String, String> modelMapping,
      Map<String, String> aliases,
      List<String> fallback,
      RoutingConfig routing,
      ReloadConfig reload) {
    this(defaultProvider, providers, modelMapping, aliases, fallback, routing, reload, null);
  }

  /** One provider {@code ollama} of type ollama at {@code ollamaBaseUrl}, which is the default. */
  public static LlmConfig embeddedDefault(String ollamaBaseUrl) {
    return new LlmConfig(
        EMBEDDED_PROVIDER,
        List.of(ProviderConfig.of(EMBEDDED_PROVIDER, "ollama", ollamaBaseUrl)),
        null,
        null,
        null,
        null,
        null);
  }

  /** The provider with that exact name. */
  public Optional<ProviderConfig> provider(String name) {
    for (ProviderConfig p : providers) {
      if (p.name() != null && p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Provider names in file order. */
  public List<String> providerNames() {
    return providers.stream().map(ProviderConfig::name).toList();
  }

  /** Enabled providers in file order. */
  public List<ProviderConfig> enabledProviders() {
    return providers.stream().filter(ProviderConfig::enabled).toList();
  }

  /**
   * Follows {@link #aliases()} (alias keys compared with {@link ModelNames#sameModel}) until the
   * name is no alias; returns the input when it is none. Stops after 16 hops (cycles are rejected
   * by validation anyway).
   */
  public String resolveAlias(String model) {
    String current = model;
    for (int hop = 0; hop < 16; hop++) {
      String next = lookup(aliases, current);
      if (next == null) {
        return current;
      }
      current = next;
    }
    return current;
  }

  private static String lookup(Map<String, String> map, String key) {
    String exact = map.get(key);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (ModelNames.sameModel(e.getKey(), key)) {
        return e.getValue();
      }
    }
    return null;
  }
}
