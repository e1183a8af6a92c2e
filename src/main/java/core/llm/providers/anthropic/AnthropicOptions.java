package core.llm.providers.anthropic;

import core.llm.common.BaseUrl;
import core.llm.providers.base.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of an {@link AnthropicProvider}, in the Vert.x data-object style: a no-argument
 * constructor with defaults, a copy constructor, a {@link JsonObject} constructor, {@link
 * #toJson()} and fluent setters.
 *
 * <p>The API key is a resolved value (read it from a secret store or {@code ANTHROPIC_API_KEY}
 * before building the options). It is sent as {@code x-api-key} and never appears in {@link
 * #toJson()}, {@link #toString()}, logs or error messages.
 *
 * <p>Timeouts: without streaming, Anthropic sends the response head only after the whole reply has
 * been generated, so the first-byte timeout defaults to 10 minutes (the official SDKs' default
 * request timeout). Streams send {@code ping} events, so a 5-minute idle timeout is generous.
 */
public class AnthropicOptions {
  public static final String DEFAULT_NAME = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The {@code anthropic-version} header: the only stable version of the Messages API. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  /** {@code max_tokens} when the request sets none: the API requires the field. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Connect 10 s, first byte 10 min, idle 5 min, no total limit. */
  public static final Timeouts DEFAULT_TIMEOUTS =
      Timeouts.none()
          .withConnect(Duration.ofSeconds(10))
          .withFirstByte(Duration.ofMinutes(10))
          .withIdle(Duration.ofMinutes(5));

  public static final int DEFAULT_MAX_POOL_SIZE = 64;

  /** Longest SSE line accepted: 8 MiB (a tool input can arrive as one big fragment). */
  public static final int DEFAULT_MAX_LINE_SIZE = 8 * 1024 * 1024;

  /** Largest non-streamed reply accepted: 32 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024;

  private String name = DEFAULT_NAME;
  private String baseUrl = DEFAULT_BASE_URL;

  /** From user info in the base URL; kept apart so that the URL itself can be logged. */
  private String baseUrlAuthorization;

  private String apiKey;
  private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
  private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
  private Timeouts timeouts = DEFAULT_TIMEOUTS;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int maxLineSize = DEFAULT_MAX_LINE_SIZE;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private Map<String, String> headers = new LinkedHashMap<>();
  private List<String> betas = new ArrayList<>();

  public AnthropicOptions() {}

  public AnthropicOptions(AnthropicOptions other) {
    this.name = other.name;
    this.baseUrl = other.baseUrl;
    this.baseUrlAuthorization = other.baseUrlAuthorization;
    this.apiKey = other.apiKey;
    this.anthropicVersion = other.anthropicVersion;
    this.defaultMaxTokens = other.defaultMaxTokens;
    this.timeouts = other.timeouts;
    this.maxPoolSize = other.maxPoolSize;
    this.maxLineSize = other.maxLineSize;
    this.maxBodySize = other.maxBodySize;
    this.headers = new LinkedHashMap<>(other.headers);
    this.betas = new ArrayList<>(other.betas);
  }

  /**
   * Reads the options from JSON. Timeouts are an object {@code {connect, firstByte, idle, total}}
   * of ISO-8601 durations ({@code PT10M}) or milliseconds; {@code apiKey} is read if present.
   */
  public AnthropicOptions(JsonObject json) {
    this();
    name = json.getString("name", name);
    setBaseUrl(json.getString("baseUrl", baseUrl));
    apiKey = json.getString("apiKey", apiKey);
    anthropicVersion = json.getString("anthropicVersion", anthropicVersion);
    setDefaultMaxTokens(json.getInteger("defaultMaxTokens", defaultMaxTokens));
    JsonObject t = json.getJsonObject("timeouts");
    if (t != null) {
      timeouts =
          new Timeouts(
              duration(t, "connect", timeouts.connect()),
              duration(t, "firstByte", timeouts.firstByte()),
              duration(t, "idle", timeouts.idle()),
              duration(t, "total", timeouts.total()));
    }
    setMaxPoolSize(json.getInteger("maxPoolSize", maxPoolSize));
    setMaxLineSize(json.getInteger("maxLineSize", maxLineSize));
    setMaxBodySize(json.getInteger("maxBodySize", maxBodySize));
    JsonObject h = json.getJsonObject("headers");
    if (h != null) {
      h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    }
    JsonArray b = json.getJsonArray("betas");
    if (b != null) {
      b.forEach(v -> betas.add(String.valueOf(v)));
    }
  }

  /** The JSON form, without the API key and header values, so that it can be logged. */
  public JsonObject toJson() {
    JsonObject t = new JsonObject();
    putDuration(t, "connect", timeouts.connect());
    putDuration(t, "firstByte", timeouts.firstByte());
    putDuration(t, "idle", timeouts.idle());
    putDuration(t, "total", timeouts.total());
    return new JsonObject()
        .put("name", name)
        .put("baseUrl", baseUrl)
        .put("apiKeySet", apiKey != null && !apiKey.isEmpty())
        .put("anthropicVersion", anthropicVersion)
        .put("defaultMaxTokens", defaultMaxTokens)
        .put("timeouts", t)
        .put("maxPoolSize", maxPoolSize)
        .put("maxLineSize", maxLineSize)
        .put("maxBodySize", maxBodySize)
        .put("headerNames", new JsonArray(new ArrayList<>(headers.keySet())))
        .put("betas", new JsonArray(new ArrayList<>(betas)));
  }

  @Override
  public String toString() {
    return "AnthropicOptions" + toJson().encode();
  }

  public String getName() {
    return name;
  }

  /** The provider's name in a factory and in errors. Default {@value #DEFAULT_NAME}. */
  public AnthropicOptions setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /**
   * Default {@value #DEFAULT_BASE_URL}; a path is kept (for a gateway), a trailing slash dropped.
   */
  public AnthropicOptions setBaseUrl(String baseUrl) {
    BaseUrl url =
        BaseUrl.absolute(Objects.requireNonNull(baseUrl, "baseUrl"), "AnthropicOptions.baseUrl");
    this.baseUrl = url.printable();
    this.baseUrlAuthorization = url.authorization();
    return this;
  }

  /** The Basic {@code Authorization} value from user info in the base URL, or null. */
  String baseUrlAuthorization() {
    return baseUrlAuthorization;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** The resolved API key, sent as {@code x-api-key}. Default none (a gateway may not need one). */
  public AnthropicOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public String getAnthropicVersion() {
    return anthropicVersion;
  }

  /** The {@code anthropic-version} header. Default {@value #DEFAULT_ANTHROPIC_VERSION}. */
  public AnthropicOptions setAnthropicVersion(String anthropicVersion) {
    this.anthropicVersion = Objects.requireNonNull(anthropicVersion, "anthropicVersion");
    return this;
  }

  public int getDefaultMaxTokens() {
    return defaultMaxTokens;
  }

  /**
   * {@code max_tokens} for requests whose options set none. Default {@value #DEFAULT_MAX_TOKENS}.
   * With thinking on and no explicit limit, the thinking budget is added on top of it.
   */
  public AnthropicOptions setDefaultMaxTokens(int defaultMaxTokens) {
    this.defaultMaxTokens = positive(defaultMaxTokens, "defaultMaxTokens");
    return this;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  /** Default {@link #DEFAULT_TIMEOUTS}; a null field means no limit of that kind. */
  public AnthropicOptions setTimeouts(Timeouts timeouts) {
    this.timeouts = timeouts == null ? Timeouts.NONE : timeouts;
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /**
   * Connections kept to the server. Default {@value #DEFAULT_MAX_POOL_SIZE}; a stream holds one.
   */
  public AnthropicOptions setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = positive(maxPoolSize, "maxPoolSize");
    return this;
  }

  public int getMaxLineSize() {
    return maxLineSize;
  }

  /** Default 8 MiB; a longer SSE line fails the stream instead of filling memory. */
  public AnthropicOptions setMaxLineSize(int maxLineSize) {
    this.maxLineSize = positive(maxLineSize, "maxLineSize");
    return this;
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  /** Default 32 MiB; a larger non-streamed reply fails. */
  public AnthropicOptions setMaxBodySize(int maxBodySize) {
    this.maxBodySize = positive(maxBodySize, "maxBodySize");
    return this;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  /** Extra headers on every request (default none); they win over the defaults of the provider. */
  public AnthropicOptions setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(headers);
    return this;
  }

  public AnthropicOptions addHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public List<String> getBetas() {
    return betas;
  }

  /** Beta features, sent comma-joined as {@code anthropic-beta}. Default none. */
  public AnthropicOptions setBetas(List<String> betas) {
    this.betas = new ArrayList<>(betas);
    return this;
  }

  public AnthropicOptions addBeta(String beta) {
    betas.add(beta);
    return this;
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration duration(JsonObject json, String key, Duration fallback) {
    if (!json.containsKey(key)) {
      return fallback;
    }
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    return Duration.parse(value.toString());
  }

  private static void putDuration(JsonObject json, String key, Duration value) {
    if (value != null) {
      json.put(key, value.toString());
    }
  }
}
