package core.llm.providers.openai;

import core.llm.common.BaseUrl;
import core.llm.providers.base.Timeouts;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of an {@link OpenAiProvider}, in the Vert.x data-object style: defaults in a no-argument
 * constructor, a copy constructor, a {@link JsonObject} constructor, {@link #toJson()} and fluent
 * setters.
 *
 * <p>The API key is the resolved value (not an environment variable name). It is never written by
 * {@link #toJson()} or {@link #toString()}, and never appears in error messages.
 *
 * <p>Timeouts: local OpenAI-compatible servers (LM Studio, llama.cpp, Ollama's /v1) may load a
 * model before the first byte, so the first-byte timeout defaults to {@link
 * #DEFAULT_FIRST_BYTE_TIMEOUT} like the Ollama client's.
 */
public class OpenAiOptions {
  /** OpenAI's own API. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  public static final String DEFAULT_NAME = "openai";

  /** Connect 10 s, first byte 10 min, idle 5 min between stream lines, no total limit. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final Timeouts DEFAULT_TIMEOUTS =
      Timeouts.none()
          .withConnect(DEFAULT_CONNECT_TIMEOUT)
          .withFirstByte(DEFAULT_FIRST_BYTE_TIMEOUT)
          .withIdle(DEFAULT_IDLE_TIMEOUT);

  /** Connections kept to the server: 64. Each live stream holds one. */
  public static final int DEFAULT_MAX_POOL_SIZE = 64;

  /** Longest SSE line accepted: 8 MiB. */
  public static final int DEFAULT_MAX_LINE_SIZE = 8 * 1024 * 1024;

  /** Largest non-streamed reply accepted: 256 MiB (big embedding batches). */
  public static final int DEFAULT_MAX_BODY_SIZE = 256 * 1024 * 1024;

  private String name = DEFAULT_NAME;
  private String baseUrl = DEFAULT_BASE_URL;

  /** From user info in the base URL; kept apart so that the URL itself can be logged. */
  private String baseUrlAuthorization;

  private String apiKey;
  private String organization;
  private String project;
  private Timeouts timeouts = DEFAULT_TIMEOUTS;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int maxLineSize = DEFAULT_MAX_LINE_SIZE;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private Map<String, String> headers = new LinkedHashMap<>();

  public OpenAiOptions() {}

  public OpenAiOptions(OpenAiOptions other) {
    name = other.name;
    baseUrl = other.baseUrl;
    baseUrlAuthorization = other.baseUrlAuthorization;
    apiKey = other.apiKey;
    organization = other.organization;
    project = other.project;
    timeouts = other.timeouts;
    maxPoolSize = other.maxPoolSize;
    maxLineSize = other.maxLineSize;
    maxBodySize = other.maxBodySize;
    headers = new LinkedHashMap<>(other.headers);
  }

  /**
   * Reads the options from JSON. Durations ({@code connectTimeout}, {@code firstByteTimeout},
   * {@code idleTimeout}, {@code totalTimeout}) are ISO-8601 strings ({@code PT30S}) or
   * milliseconds.
   */
  public OpenAiOptions(JsonObject json) {
    this();
    name = json.getString("name", name);
    setBaseUrl(json.getString("baseUrl", baseUrl));
    apiKey = json.getString("apiKey", apiKey);
    organization = json.getString("organization", organization);
    project = json.getString("project", project);
    timeouts =
        new Timeouts(
            duration(json, "connectTimeout", timeouts.connect()),
            duration(json, "firstByteTimeout", timeouts.firstByte()),
            duration(json, "idleTimeout", timeouts.idle()),
            duration(json, "totalTimeout", timeouts.total()));
    maxPoolSize = json.getInteger("maxPoolSize", maxPoolSize);
    maxLineSize = json.getInteger("maxLineSize", maxLineSize);
    maxBodySize = json.getInteger("maxBodySize", maxBodySize);
    JsonObject h = json.getJsonObject("headers");
    if (h != null) {
      h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    }
  }

  /** The JSON form, without the API key and the extra headers (they may hold secrets). */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("baseUrl", baseUrl)
            .put("maxPoolSize", maxPoolSize)
            .put("maxLineSize", maxLineSize)
            .put("maxBodySize", maxBodySize);
    if (organization != null) {
      json.put("organization", organization);
    }
    if (project != null) {
      json.put("project", project);
    }
    putDuration(json, "connectTimeout", timeouts.connect());
    putDuration(json, "firstByteTimeout", timeouts.firstByte());
    putDuration(json, "idleTimeout", timeouts.idle());
    putDuration(json, "totalTimeout", timeouts.total());
    return json;
  }

  /** Safe to log: says whether a key is set, never what it is. */
  @Override
  public String toString() {
    return "OpenAiOptions" + toJson().put("apiKey", apiKey == null ? "(none)" : "(set)").encode();
  }

  public String getName() {
    return name;
  }

  /** Provider name used in results, errors and routing (default {@value #DEFAULT_NAME}). */
  public OpenAiOptions setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /**
   * The API root including its version path (default {@value #DEFAULT_BASE_URL}); for example
   * {@code http://localhost:8000/v1} (vLLM), {@code http://localhost:8080/v1} (llama.cpp), {@code
   * http://localhost:1234/v1} (LM Studio), {@code http://localhost:11434/v1} (Ollama).
   */
  public OpenAiOptions setBaseUrl(String baseUrl) {
    BaseUrl url =
        BaseUrl.absolute(Objects.requireNonNull(baseUrl, "baseUrl"), "OpenAiOptions.baseUrl");
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

  /**
   * The resolved key sent as {@code Authorization: Bearer}; default none (local servers need none).
   */
  public OpenAiOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public String getOrganization() {
    return organization;
  }

  /** Sent as {@code OpenAI-Organization} when set (default none). */
  public OpenAiOptions setOrganization(String organization) {
    this.organization = organization;
    return this;
  }

  public String getProject() {
    return project;
  }

  /** Sent as {@code OpenAI-Project} when set (default none). */
  public OpenAiOptions setProject(String project) {
    this.project = project;
    return this;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  /** Default {@link #DEFAULT_TIMEOUTS}; null fields mean "no limit". */
  public OpenAiOptions setTimeouts(Timeouts timeouts) {
    this.timeouts = timeouts == null ? Timeouts.NONE : timeouts;
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /** Default {@value #DEFAULT_MAX_POOL_SIZE} connections. */
  public OpenAiOptions setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = positive(maxPoolSize, "maxPoolSize");
    return this;
  }

  public int getMaxLineSize() {
    return maxLineSize;
  }

  /** Default 8 MiB; a longer SSE line fails the stream instead of filling memory. */
  public OpenAiOptions setMaxLineSize(int maxLineSize) {
    this.maxLineSize = positive(maxLineSize, "maxLineSize");
    return this;
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  /** Default 256 MiB; a larger non-streamed reply fails. */
  public OpenAiOptions setMaxBodySize(int maxBodySize) {
    this.maxBodySize = positive(maxBodySize, "maxBodySize");
    return this;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  /** Extra headers sent with every request (default none); they override the defaults. */
  public OpenAiOptions setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(headers);
    return this;
  }

  public OpenAiOptions addHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration duration(JsonObject json, String key, Duration fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    return value instanceof Number n
        ? Duration.ofMillis(n.longValue())
        : Duration.parse(value.toString());
  }

  private static void putDuration(JsonObject json, String key, Duration value) {
    if (value != null) {
      json.put(key, value.toString());
    }
  }
}
