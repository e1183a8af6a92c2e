package core.llm.providers.ollama;

import core.llm.common.BaseUrl;
import core.llm.common.OllamaHost;
import core.llm.providers.base.Timeouts;
import core.llm.providers.spi.HttpTransport;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Options of an {@link OllamaClient}, in the Vert.x data-object style: a no-argument constructor
 * with defaults, a copy constructor, a {@link JsonObject} constructor and {@link #toJson()}, and
 * fluent setters.
 *
 * <p>Timeouts: Ollama sends no response headers until the model has loaded and produced its first
 * output, and a client that leaves during a load aborts that load on the server. So the first-byte
 * timeout defaults to {@value #DEFAULT_FIRST_BYTE_TIMEOUT_MINUTES} minutes: a shorter one can make
 * a big model impossible to load at all. The idle timeout bounds silence between stream lines.
 */
public class OllamaClientOptions {
  /** Where Ollama listens by default. */
  public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

  /** Connect timeout default: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public static final int DEFAULT_FIRST_BYTE_TIMEOUT_MINUTES = 10;

  /** First-byte timeout default: 10 minutes, enough for a cold load of a large model. */
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT =
      Duration.ofMinutes(DEFAULT_FIRST_BYTE_TIMEOUT_MINUTES);

  /** Idle timeout default: 5 minutes between two stream lines. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Metadata timeout default: 10 seconds for the whole of a call that loads no model ({@code tags},
   * {@code ps}, {@code show}, {@code version}, health): the generous first-byte limit exists for
   * cold model loads, and a stalled server must not keep {@code llm list} silent for minutes.
   */
  public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofSeconds(10);

  /** Total timeout default: none. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = null;

  /** Longest NDJSON line accepted: 8 MiB, as Go's scanner in the official client. */
  public static final int DEFAULT_MAX_LINE_SIZE = 8 * 1024 * 1024;

  /** Largest non-streamed reply accepted: 256 MiB (big embedding batches). */
  public static final int DEFAULT_MAX_BODY_SIZE = 256 * 1024 * 1024;

  /**
   * Most bytes all streams of one client hold together (lines being read plus the lines folded into
   * replies being assembled): 64 MiB. The stream that would pass it fails with an {@link
   * core.llm.common.OverloadedException}; the others go on.
   */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = HttpTransport.DEFAULT_MAX_BUFFERED_BYTES;

  /**
   * Largest streamed reply (the lines folded into one result, also under the neutral {@code
   * OllamaProvider.chat()}): 32 MiB, half the client's budget. Past it the stream fails with an
   * {@link core.llm.common.InvalidResponseException}.
   */
  public static final int DEFAULT_MAX_RESULT_SIZE = HttpTransport.DEFAULT_MAX_RESULT_SIZE;

  /** Connections kept per server: 64. Each live stream holds one. */
  public static final int DEFAULT_MAX_POOL_SIZE = 64;

  private String baseUrl = DEFAULT_BASE_URL;

  /** From user info in the base URL; kept apart so that the URL itself can be logged. */
  private String baseUrlAuthorization;

  private String name = "ollama";
  private Map<String, String> headers = new LinkedHashMap<>();
  private Supplier<Map<String, String>> headerSupplier;
  private String apiKey;
  private String userAgent = UserAgent.DEFAULT;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration firstByteTimeout = DEFAULT_FIRST_BYTE_TIMEOUT;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private Duration metadataTimeout = DEFAULT_METADATA_TIMEOUT;
  private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
  private int maxLineSize = DEFAULT_MAX_LINE_SIZE;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private int maxResultSize = DEFAULT_MAX_RESULT_SIZE;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;

  public OllamaClientOptions() {}

  public OllamaClientOptions(OllamaClientOptions other) {
    this.baseUrl = other.baseUrl;
    this.baseUrlAuthorization = other.baseUrlAuthorization;
    this.name = other.name;
    this.headers = new LinkedHashMap<>(other.headers);
    this.headerSupplier = other.headerSupplier;
    this.apiKey = other.apiKey;
    this.userAgent = other.userAgent;
    this.connectTimeout = other.connectTimeout;
    this.firstByteTimeout = other.firstByteTimeout;
    this.idleTimeout = other.idleTimeout;
    this.metadataTimeout = other.metadataTimeout;
    this.totalTimeout = other.totalTimeout;
    this.maxLineSize = other.maxLineSize;
    this.maxBodySize = other.maxBodySize;
    this.maxBufferedBytes = other.maxBufferedBytes;
    this.maxResultSize = other.maxResultSize;
    this.maxPoolSize = other.maxPoolSize;
  }

  /** Reads the options from JSON; durations as ISO-8601 strings ({@code PT10M}) or milliseconds. */
  public OllamaClientOptions(JsonObject json) {
    this();
    setBaseUrl(json.getString("baseUrl", baseUrl));
    name = json.getString("name", name);
    JsonObject h = json.getJsonObject("headers");
    if (h != null) {
      h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    }
    userAgent = json.getString("userAgent", userAgent);
    connectTimeout = duration(json, "connectTimeout", connectTimeout);
    firstByteTimeout = duration(json, "firstByteTimeout", firstByteTimeout);
    idleTimeout = duration(json, "idleTimeout", idleTimeout);
    metadataTimeout = duration(json, "metadataTimeout", metadataTimeout);
    totalTimeout = duration(json, "totalTimeout", totalTimeout);
    maxLineSize = json.getInteger("maxLineSize", maxLineSize);
    maxBodySize = json.getInteger("maxBodySize", maxBodySize);
    maxBufferedBytes = json.getLong("maxBufferedBytes", maxBufferedBytes);
    maxResultSize = json.getInteger("maxResultSize", maxResultSize);
    maxPoolSize = json.getInteger("maxPoolSize", maxPoolSize);
  }

  /**
   * Options from the environment as the official clients read it: {@code OLLAMA_HOST} (see {@link
   * core.llm.common.OllamaHost}) and {@code OLLAMA_API_KEY}.
   */
  public static OllamaClientOptions fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  /** As {@link #fromEnvironment()}, reading variables through {@code env}. */
  public static OllamaClientOptions fromEnvironment(Function<String, String> env) {
    OllamaClientOptions options = new OllamaClientOptions();
    BaseUrl host = OllamaHost.resolve(env.apply(OllamaHost.ENV), OllamaHost.ENV);
    options.baseUrl = host.printable();
    options.baseUrlAuthorization = host.authorization();
    String key = env.apply("OLLAMA_API_KEY");
    if (key != null && !key.isBlank()) {
      options.setApiKey(key.trim());
    }
    return options;
  }

  /** The JSON form; headers and the API key are left out so that it can be logged. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("baseUrl", baseUrl)
            .put("name", name)
            .put("userAgent", userAgent)
            .put("maxLineSize", maxLineSize)
            .put("maxBodySize", maxBodySize)
            .put("maxBufferedBytes", maxBufferedBytes)
            .put("maxResultSize", maxResultSize)
            .put("maxPoolSize", maxPoolSize);
    putDuration(json, "connectTimeout", connectTimeout);
    putDuration(json, "firstByteTimeout", firstByteTimeout);
    putDuration(json, "idleTimeout", idleTimeout);
    putDuration(json, "metadataTimeout", metadataTimeout);
    putDuration(json, "totalTimeout", totalTimeout);
    return json;
  }

  Timeouts timeouts() {
    return new Timeouts(connectTimeout, firstByteTimeout, idleTimeout, totalTimeout);
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /** The server, for example {@code http://127.0.0.1:11434} (default); a path is kept. */
  public OllamaClientOptions setBaseUrl(String baseUrl) {
    BaseUrl url =
        OllamaHost.resolve(
            Objects.requireNonNull(baseUrl, "baseUrl"), "OllamaClientOptions.baseUrl");
    this.baseUrl = url.printable();
    this.baseUrlAuthorization = url.authorization();
    return this;
  }

  /** The Basic {@code Authorization} value from user info in the base URL, or null. */
  String baseUrlAuthorization() {
    return baseUrlAuthorization;
  }

  public String getName() {
    return name;
  }

  /**
   * The name errors carry as their provider (default {@code ollama}); the factory sets the
   * configured one.
   */
  public OllamaClientOptions setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  /** Headers sent with every request (default: none). They override the defaults of the client. */
  public OllamaClientOptions setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(headers);
    return this;
  }

  public OllamaClientOptions addHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Supplier<Map<String, String>> getHeaderSupplier() {
    return headerSupplier;
  }

  /**
   * Asked once per request for headers to add (a fresh token, a trace id); runs on the event loop,
   * so it must not block. Default: none.
   */
  public OllamaClientOptions setHeaderSupplier(Supplier<Map<String, String>> headerSupplier) {
    this.headerSupplier = headerSupplier;
    return this;
  }

  public String getApiKey() {
    return apiKey;
  }

  /**
   * Bearer key for ollama.com (default: {@code OLLAMA_API_KEY} when built from the environment).
   * Sent only when the base URL is ollama.com: a local server needs none.
   */
  public OllamaClientOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public String getUserAgent() {
    return userAgent;
  }

  /** Default: {@code core-llm/<version> (<arch> <os>) Java/<version>}. */
  public OllamaClientOptions setUserAgent(String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** Default 10 s; null or zero: none. */
  public OllamaClientOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  public Duration getFirstByteTimeout() {
    return firstByteTimeout;
  }

  /** Default 10 min (covers a cold model load); null or zero: none. */
  public OllamaClientOptions setFirstByteTimeout(Duration firstByteTimeout) {
    this.firstByteTimeout = firstByteTimeout;
    return this;
  }

  public Duration getMetadataTimeout() {
    return metadataTimeout;
  }

  /**
   * Default 10 s: the longest a metadata call (tags, ps, show, version, health) may take, first
   * byte included; null or zero: only the general limits apply.
   */
  public OllamaClientOptions setMetadataTimeout(Duration metadataTimeout) {
    this.metadataTimeout = metadataTimeout;
    return this;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** Default 5 min between stream lines; null or zero: none. */
  public OllamaClientOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    return this;
  }

  public Duration getTotalTimeout() {
    return totalTimeout;
  }

  /** Default none; null or zero: none. */
  public OllamaClientOptions setTotalTimeout(Duration totalTimeout) {
    this.totalTimeout = totalTimeout;
    return this;
  }

  public int getMaxLineSize() {
    return maxLineSize;
  }

  /** Default 8 MiB; a longer stream line fails the stream instead of filling memory. */
  public OllamaClientOptions setMaxLineSize(int maxLineSize) {
    this.maxLineSize = positive(maxLineSize, "maxLineSize");
    return this;
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  /** Default 256 MiB; a larger non-streamed reply fails. */
  public OllamaClientOptions setMaxBodySize(int maxBodySize) {
    this.maxBodySize = positive(maxBodySize, "maxBodySize");
    return this;
  }

  public long getMaxBufferedBytes() {
    return maxBufferedBytes;
  }

  /**
   * Default 64 MiB: the most bytes all streams of the client hold together (lines being read,
   * replies being assembled); the stream that would pass it fails, the others go on.
   */
  public OllamaClientOptions setMaxBufferedBytes(long maxBufferedBytes) {
    if (maxBufferedBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must be positive, got " + maxBufferedBytes);
    }
    this.maxBufferedBytes = maxBufferedBytes;
    return this;
  }

  public int getMaxResultSize() {
    return maxResultSize;
  }

  /** Default 32 MiB: a larger streamed reply fails (also under the neutral {@code chat()}). */
  public OllamaClientOptions setMaxResultSize(int maxResultSize) {
    this.maxResultSize = positive(maxResultSize, "maxResultSize");
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /** Default 64 connections; raise it for many concurrent streams. */
  public OllamaClientOptions setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = positive(maxPoolSize, "maxPoolSize");
    return this;
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration duration(JsonObject json, String key, Duration fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
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
