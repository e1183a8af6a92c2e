package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import core.llm.common.ModelNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One provider entry of the configuration file.
 *
 * <p>Never holds a credential: {@code apiKeyEnv} is the <em>name</em> of an environment variable,
 * resolved at use time by {@link ApiKeys} / {@link SecretResolver}. {@link #toString()} also masks
 * user info in {@code baseUrl} and option values whose key looks like a credential.
 *
 * @param name unique provider name, referenced by defaultProvider, fallback and modelMapping
 * @param type provider implementation: {@code ollama}, {@code openai}, {@code anthropic}, {@code
 *     mock} or any registered type
 * @param baseUrl http(s) base URL; for type ollama filled by the loader when absent (OLLAMA_HOST or
 *     {@code http://127.0.0.1:11434}); may be null for other types (the provider's default)
 * @param apiKeyEnv name of the environment variable holding the key, or null
 * @param timeouts never null ({@link TimeoutConfig#NONE} when absent)
 * @param maxRetries retries of one request on this provider, or null for the router default
 * @param weight relative share in weighted load balancing (default 1; 0 drains the provider)
 * @param enabled whether the provider takes traffic (default true)
 * @param models models this provider serves (as written; compare with {@link #servesModel})
 * @param options type-specific settings, passed through untouched (never null)
 * @param http how the provider's HTTP client connects: pool size, HTTP/2, TLS, proxy, headers
 *     (never null: {@link HttpConfig#NONE} when absent; see {@link HttpConfig})
 * @param overflow a provider (a cloud or remote one) that takes requests only when every other
 *     candidate for the model is saturated (in flight at its capacity) or down (default false)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "type",
  "baseUrl",
  "apiKeyEnv",
  "timeouts",
  "maxRetries",
  "weight",
  "enabled",
  "models",
  "options",
  "http",
  "overflow"
})
public record ProviderConfig(
    String name,
    String type,
    String baseUrl,
    String apiKeyEnv,
    TimeoutConfig timeouts,
    Integer maxRetries,
    int weight,
    boolean enabled,
    List<String> models,
    Map<String, Object> options,
    @JsonIgnore HttpConfig http,
    boolean overflow) {

  public static final int DEFAULT_WEIGHT = 1;

  /** Null timeouts, models and options become empty; lists and maps are copied unmodifiable. */
  public ProviderConfig {
    timeouts = timeouts == null ? TimeoutConfig.NONE : timeouts;
    models =
        models == null
            ? List.of()
            : Collections.unmodifiableList(new java.util.ArrayList<>(models));
    options =
        options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    http = http == null ? HttpConfig.NONE : http;
  }

  /** An entry that is not an overflow provider. */
  public ProviderConfig(
      String name,
      String type,
      String baseUrl,
      String apiKeyEnv,
      TimeoutConfig timeouts,
      Integer maxRetries,
      int weight,
      boolean enabled,
      List<String> models,
      Map<String, Object> options,
      HttpConfig http) {
    this(
        name,
        type,
        baseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        models,
        options,
        http,
        false);
  }

  /** An entry without an {@code http} block. */
  public ProviderConfig(
      String name,
      String type,
      String baseUrl,
      String apiKeyEnv,
      TimeoutConfig timeouts,
      Integer maxRetries,
      int weight,
      boolean enabled,
      List<String> models,
      Map<String, Object> options) {
    this(
        name,
        type,
        baseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        models,
        options,
        null);
  }

  /** The {@code http} block as written out: left out when empty. */
  @com.fasterxml.jackson.annotation.JsonProperty("http")
  HttpConfig httpIfSet() {
    return http.isEmpty() ? null : http;
  }

  /** A minimal enabled provider with weight 1 and nothing else set. */
  public static ProviderConfig of(String name, String type, String baseUrl) {
    return new ProviderConfig(
        name, type, baseUrl, null, null, null, DEFAULT_WEIGHT, true, null, null);
  }

  public ProviderConfig withBaseUrl(String newBaseUrl) {
    return new ProviderConfig(
        name,
        type,
        newBaseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        models,
        options,
        http,
        overflow);
  }

  public ProviderConfig withModels(List<String> newModels) {
    return new ProviderConfig(
        name,
        type,
        baseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        newModels,
        options,
        http,
        overflow);
  }

  public ProviderConfig withEnabled(boolean newEnabled) {
    return new ProviderConfig(
        name,
        type,
        baseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        newEnabled,
        models,
        options,
        http,
        overflow);
  }

  /** This entry with another key variable (for resolving other secrets the same way). */
  public ProviderConfig withApiKeyEnv(String newApiKeyEnv) {
    return new ProviderConfig(
        name,
        type,
        baseUrl,
        newApiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        models,
        options,
        http,
        overflow);
  }

  public ProviderConfig withHttp(HttpConfig newHttp) {
    return new ProviderConfig(
        name,
        type,
        baseUrl,
        apiKeyEnv,
        timeouts,
        maxRetries,
        weight,
        enabled,
        models,
        options,
        newHttp);
  }

  /** Whether {@code model} is listed in {@link #models()} (by {@link ModelNames#sameModel}). */
  public boolean servesModel(String model) {
    for (String m : models) {
      if (ModelNames.sameModel(m, model)) {
        return true;
      }
    }
    return false;
  }

  /** A string option, or null. */
  @JsonIgnore
  public String option(String key) {
    Object v = options.get(key);
    return v == null ? null : String.valueOf(v);
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", type="
        + type
        + ", baseUrl="
        + Redaction.url(baseUrl)
        + ", apiKeyEnv="
        + Redaction.envName(apiKeyEnv)
        + ", timeouts="
        + timeouts
        + ", maxRetries="
        + maxRetries
        + ", weight="
        + weight
        + ", enabled="
        + enabled
        + ", models="
        + models
        + ", options="
        + Redaction.map(options)
        + (http.isEmpty() ? "" : ", http=" + http)
        + "]";
  }
}
