package core.llm.providers.ollama;

import core.llm.common.BaseUrl;
import core.llm.common.OllamaHost;
import core.llm.providers.base.Timeouts;
import core.llm.providers.spi.TransportOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Options of an {@link OllamaClient}, in the Vert.x data-object style: a no-argument constructor
 * with defaults, a copy constructor, a {@link JsonObject} constructor and {@link #toJson()}
 * (symmetric, secrets left out), and fluent setters. The transport settings (timeouts, pool,
 * HTTP/2, TLS, proxy, headers, size limits) are {@link TransportOptions}'; this class adds the user
 * agent, the per-request header supplier and the metadata timeout.
 *
 * <p>Timeouts: Ollama sends no response headers until the model has loaded and produced its first
 * output, and a client that leaves during a load aborts that load on the server. So the first-byte
 * timeout defaults to {@value #DEFAULT_FIRST_BYTE_TIMEOUT_MINUTES} minutes: a shorter one can make
 * a big model impossible to load at all. The idle timeout bounds silence between stream lines.
 */
public class OllamaClientOptions extends TransportOptions<OllamaClientOptions> {
  /** Where Ollama listens by default. */
  public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

  public static final String DEFAULT_NAME = "ollama";

  public static final int DEFAULT_FIRST_BYTE_TIMEOUT_MINUTES = 10;

  /**
   * Metadata timeout default: 10 seconds for the whole of a call that loads no model ({@code tags},
   * {@code ps}, {@code show}, {@code version}, health): the generous first-byte limit exists for
   * cold model loads, and a stalled server must not keep {@code llm list} silent for minutes.
   */
  public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofSeconds(10);

  private Supplier<Map<String, String>> headerSupplier;
  private String userAgent = UserAgent.DEFAULT;
  private Duration metadataTimeout = DEFAULT_METADATA_TIMEOUT;

  public OllamaClientOptions() {
    super(DEFAULT_NAME, DEFAULT_BASE_URL);
  }

  public OllamaClientOptions(OllamaClientOptions other) {
    super(other);
    this.headerSupplier = other.headerSupplier;
    this.userAgent = other.userAgent;
    this.metadataTimeout = other.metadataTimeout;
  }

  /**
   * Reads the options from JSON (the keys of {@link TransportOptions} plus {@code userAgent} and
   * {@code metadataTimeout}); durations as ISO-8601 strings ({@code PT10M}) or milliseconds.
   */
  public OllamaClientOptions(JsonObject json) {
    this();
    readJson(json);
    userAgent = json.getString("userAgent", userAgent);
    metadataTimeout = duration(json, "metadataTimeout", metadataTimeout);
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
    options.setParsedBaseUrl(OllamaHost.resolve(env.apply(OllamaHost.ENV), OllamaHost.ENV));
    String key = env.apply("OLLAMA_API_KEY");
    if (key != null && !key.isBlank()) {
      options.setApiKey(key.trim());
    }
    return options;
  }

  @Override
  protected BaseUrl parseBaseUrl(String url) {
    return OllamaHost.resolve(url, "OllamaClientOptions.baseUrl");
  }

  @Override
  protected String baseUrlAuthorization() {
    return super.baseUrlAuthorization();
  }

  /** The JSON form; the API key and credential headers are left out so that it can be logged. */
  @Override
  public JsonObject toJson() {
    JsonObject json = super.toJson().put("userAgent", userAgent);
    putDuration(json, "metadataTimeout", metadataTimeout);
    return json;
  }

  Timeouts timeouts() {
    return getTimeouts();
  }

  public Supplier<Map<String, String>> getHeaderSupplier() {
    return headerSupplier;
  }

  /**
   * Asked once per request for headers to add (a fresh token, a trace id); runs on the event loop,
   * so it must not block. Default: none. Not part of the JSON form.
   */
  public OllamaClientOptions setHeaderSupplier(Supplier<Map<String, String>> headerSupplier) {
    this.headerSupplier = headerSupplier;
    return this;
  }

  /**
   * Bearer key for ollama.com (default: {@code OLLAMA_API_KEY} when built from the environment).
   * Sent only when the base URL is ollama.com: a local server needs none.
   */
  @Override
  public OllamaClientOptions setApiKey(String apiKey) {
    return super.setApiKey(apiKey);
  }

  public String getUserAgent() {
    return userAgent;
  }

  /** Default: {@code core-llm/<version> (<arch> <os>) Java/<version>}. */
  public OllamaClientOptions setUserAgent(String userAgent) {
    this.userAgent = userAgent;
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
}
