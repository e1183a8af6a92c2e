package core.llm.providers.spi;

import core.llm.common.BaseUrl;
import core.llm.common.TimerDelays;
import core.llm.providers.base.Timeouts;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every HTTP provider's options share: name, base URL, API key, the four timeouts, size
 * limits, the connection pool, HTTP/2, TLS (trust store, client certificate), proxy and extra
 * headers. {@code OllamaClientOptions}, {@code OpenAiOptions} and {@code AnthropicOptions} extend
 * it and add their own fields; the setters here return the concrete type ({@code T}), so chains
 * keep working: {@code new OpenAiOptions().setMaxPoolSize(256).setOrganization("org")}.
 *
 * <p>It lives in the SPI package because it is what {@link HttpTransport#createClient(
 * io.vertx.core.Vertx, TransportOptions, java.util.function.Consumer)} turns into a Vert.x client:
 * {@link #toHttpClientOptions()} and {@link #toPoolOptions()} are the one place where these
 * settings become Vert.x settings, for every provider alike. A provider author extends it for a new
 * provider's options.
 *
 * <p>JSON: {@link #toJson()} and the {@link JsonObject} constructors of the subclasses are
 * symmetric: {@code new X(x.toJson())} has the same settings as {@code x}, except secrets, which
 * are never written (the API key, the trust-store and proxy passwords, and header values whose name
 * smells of a credential, such as {@code Authorization} or {@code X-Api-Key}). Durations are
 * written as ISO-8601 strings ({@code PT10M}) and read as such or as milliseconds; an explicit JSON
 * {@code null} means "no limit". Keys:
 *
 * <pre>{@code
 * {"name": "...", "baseUrl": "...",
 *  "connectTimeout": "PT10S", "firstByteTimeout": "PT10M", "idleTimeout": "PT5M", "totalTimeout": null,
 *  "maxPoolSize": 64, "http2MaxPoolSize": 1 (only when set), "http2": false, "h2cPriorKnowledge": false,
 *  "maxLineSize": 8388608, "maxBodySize": 268435456, "maxBufferedBytes": 67108864, "maxResultSize": 33554432,
 *  "headers": {"X-A": "b"},
 *  "proxy": {"host": "proxy", "port": 3128, "type": "HTTP", "username": "u"},
 *  "tls": {"trustStore": "ca.pem", "trustStoreType": "PEM", "certificate": "c.pem", "key": "k.pem",
 *          "trustAll": false}}
 * }</pre>
 *
 * @param <T> the concrete options type, returned by every setter
 */
public abstract class TransportOptions<T extends TransportOptions<T>> {
  private static final System.Logger LOG = System.getLogger(TransportOptions.class.getName());

  /** Connect timeout default: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * First-byte timeout default: 10 minutes. Local servers load a model before the first byte, and a
   * non-streamed Anthropic or OpenAI reply comes only once it is complete.
   */
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofMinutes(10);

  /** Idle timeout default: 5 minutes between two stream lines. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** Total timeout default: none. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = null;

  /** Connect 10 s, first byte 10 min, idle 5 min, no total limit. */
  public static final Timeouts DEFAULT_TIMEOUTS =
      Timeouts.none()
          .withConnect(DEFAULT_CONNECT_TIMEOUT)
          .withFirstByte(DEFAULT_FIRST_BYTE_TIMEOUT)
          .withIdle(DEFAULT_IDLE_TIMEOUT);

  /** HTTP/1.1 connections kept per server: 64. Each live stream holds one. */
  public static final int DEFAULT_MAX_POOL_SIZE = 64;

  /**
   * Streams one HTTP/2 connection is counted for when {@link #getHttp2MaxPoolSize()} is derived:
   * 100, the least RFC 9113 asks a server to allow ({@code SETTINGS_MAX_CONCURRENT_STREAMS}).
   */
  public static final int STREAMS_PER_HTTP2_CONNECTION = 100;

  /** Longest stream line accepted: 8 MiB, as Go's scanner in the official Ollama client. */
  public static final int DEFAULT_MAX_LINE_SIZE = 8 * 1024 * 1024;

  /** Largest non-streamed reply accepted: 256 MiB (big embedding batches). */
  public static final int DEFAULT_MAX_BODY_SIZE = 256 * 1024 * 1024;

  /** Most bytes all streams of one client hold together: 64 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = HttpTransport.DEFAULT_MAX_BUFFERED_BYTES;

  /** Largest streamed reply (lines folded into one result): 32 MiB. */
  public static final int DEFAULT_MAX_RESULT_SIZE = HttpTransport.DEFAULT_MAX_RESULT_SIZE;

  /** Formats of a trust store file. */
  public enum TrustStoreType {
    /** One or more PEM certificates ({@code .pem}, {@code .crt}, {@code .cer}). */
    PEM,
    /** A Java key store ({@code .jks}); needs a password. */
    JKS,
    /** A PKCS#12 store ({@code .p12}, {@code .pfx}); needs a password. */
    PKCS12;

    /**
     * The type a file name suggests: {@code .jks} JKS, {@code .p12}/{@code .pfx} PKCS12, else PEM.
     */
    public static TrustStoreType fromFileName(String path) {
      String p = path.toLowerCase(Locale.ROOT);
      if (p.endsWith(".jks")) {
        return JKS;
      }
      if (p.endsWith(".p12") || p.endsWith(".pfx")) {
        return PKCS12;
      }
      return PEM;
    }
  }

  /** Header names whose values are credentials: left out of {@link #toJson()}. */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i)(authorization|proxy-authorization|cookie|.*api[-_]?key.*|.*token.*|.*secret.*|.*passw(or)?d.*)");

  private String name;
  private String baseUrl;

  /** From user info in the base URL; kept apart so that the URL itself can be logged. */
  private String baseUrlAuthorization;

  private String apiKey;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration firstByteTimeout = DEFAULT_FIRST_BYTE_TIMEOUT;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int http2MaxPoolSize; // 0: derived from maxPoolSize
  private boolean http2;
  private boolean h2cPriorKnowledge;
  private int maxLineSize = DEFAULT_MAX_LINE_SIZE;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private int maxResultSize = DEFAULT_MAX_RESULT_SIZE;
  private Map<String, String> headers = new LinkedHashMap<>();
  private ProxyOptions proxy;
  private String trustStorePath;
  private TrustStoreType trustStoreType;
  private String trustStorePassword;
  private String certificatePath;
  private String keyPath;
  private boolean trustAll;

  /**
   * @param defaultName the provider name errors carry by default
   * @param defaultBaseUrl the default server, already in normal form
   */
  protected TransportOptions(String defaultName, String defaultBaseUrl) {
    this.name = defaultName;
    this.baseUrl = defaultBaseUrl;
  }

  /** A copy of every shared setting of {@code other}. */
  protected TransportOptions(TransportOptions<?> other) {
    name = other.name;
    baseUrl = other.baseUrl;
    baseUrlAuthorization = other.baseUrlAuthorization;
    apiKey = other.apiKey;
    connectTimeout = other.connectTimeout;
    firstByteTimeout = other.firstByteTimeout;
    idleTimeout = other.idleTimeout;
    totalTimeout = other.totalTimeout;
    maxPoolSize = other.maxPoolSize;
    http2MaxPoolSize = other.http2MaxPoolSize;
    http2 = other.http2;
    h2cPriorKnowledge = other.h2cPriorKnowledge;
    maxLineSize = other.maxLineSize;
    maxBodySize = other.maxBodySize;
    maxBufferedBytes = other.maxBufferedBytes;
    maxResultSize = other.maxResultSize;
    headers = new LinkedHashMap<>(other.headers);
    proxy = other.proxy == null ? null : new ProxyOptions(other.proxy);
    trustStorePath = other.trustStorePath;
    trustStoreType = other.trustStoreType;
    trustStorePassword = other.trustStorePassword;
    certificatePath = other.certificatePath;
    keyPath = other.keyPath;
    trustAll = other.trustAll;
  }

  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  /** Parses a base URL into its normal form, or throws naming the accepted forms. */
  protected abstract BaseUrl parseBaseUrl(String url);

  /**
   * Reads the shared keys (see the class comment) present in {@code json}; absent keys keep their
   * current value. Subclasses call it from their JSON constructor, then read their own keys.
   */
  protected void readJson(JsonObject json) {
    name = json.getString("name", name);
    if (json.getValue("baseUrl") != null) {
      setBaseUrl(json.getString("baseUrl"));
    }
    apiKey = json.getString("apiKey", apiKey);
    connectTimeout = duration(json, "connectTimeout", connectTimeout);
    firstByteTimeout = duration(json, "firstByteTimeout", firstByteTimeout);
    idleTimeout = duration(json, "idleTimeout", idleTimeout);
    totalTimeout = duration(json, "totalTimeout", totalTimeout);
    setMaxPoolSize(json.getInteger("maxPoolSize", maxPoolSize));
    if (json.getValue("http2MaxPoolSize") != null) {
      setHttp2MaxPoolSize(json.getInteger("http2MaxPoolSize"));
    }
    http2 = json.getBoolean("http2", http2);
    h2cPriorKnowledge = json.getBoolean("h2cPriorKnowledge", h2cPriorKnowledge);
    setMaxLineSize(json.getInteger("maxLineSize", maxLineSize));
    setMaxBodySize(json.getInteger("maxBodySize", maxBodySize));
    setMaxBufferedBytes(json.getLong("maxBufferedBytes", maxBufferedBytes));
    setMaxResultSize(json.getInteger("maxResultSize", maxResultSize));
    JsonObject h = json.getJsonObject("headers");
    if (h != null) {
      h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    }
    JsonObject p = json.getJsonObject("proxy");
    if (p != null) {
      ProxyOptions po = new ProxyOptions();
      po.setHost(p.getString("host", po.getHost()));
      po.setPort(p.getInteger("port", po.getPort()));
      if (p.getString("type") != null) {
        po.setType(ProxyType.valueOf(p.getString("type").toUpperCase(Locale.ROOT)));
      }
      po.setUsername(p.getString("username"));
      po.setPassword(p.getString("password"));
      proxy = po;
    }
    JsonObject t = json.getJsonObject("tls");
    if (t != null) {
      trustStorePath = t.getString("trustStore", trustStorePath);
      if (t.getString("trustStoreType") != null) {
        trustStoreType =
            TrustStoreType.valueOf(t.getString("trustStoreType").toUpperCase(Locale.ROOT));
      }
      trustStorePassword = t.getString("trustStorePassword", trustStorePassword);
      certificatePath = t.getString("certificate", certificatePath);
      keyPath = t.getString("key", keyPath);
      trustAll = t.getBoolean("trustAll", trustAll);
    }
  }

  /**
   * The JSON form of every setting but secrets (the API key, passwords, credential headers), so
   * that it can be logged; the subclass's JSON constructor reads it back to the same settings.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("baseUrl", baseUrl);
    putDuration(json, "connectTimeout", connectTimeout);
    putDuration(json, "firstByteTimeout", firstByteTimeout);
    putDuration(json, "idleTimeout", idleTimeout);
    putDuration(json, "totalTimeout", totalTimeout);
    json.put("maxPoolSize", maxPoolSize);
    if (http2MaxPoolSize > 0) {
      json.put("http2MaxPoolSize", http2MaxPoolSize); // else derived from maxPoolSize
    }
    json.put("http2", http2)
        .put("h2cPriorKnowledge", h2cPriorKnowledge)
        .put("maxLineSize", maxLineSize)
        .put("maxBodySize", maxBodySize)
        .put("maxBufferedBytes", maxBufferedBytes)
        .put("maxResultSize", maxResultSize);
    JsonObject h = new JsonObject();
    headers.forEach(
        (k, v) -> {
          if (!isCredentialHeader(k)) {
            h.put(k, v);
          }
        });
    json.put("headers", h);
    if (proxy != null) {
      JsonObject p =
          new JsonObject()
              .put("host", proxy.getHost())
              .put("port", proxy.getPort())
              .put("type", proxy.getType().name());
      if (proxy.getUsername() != null) {
        p.put("username", proxy.getUsername());
      }
      json.put("proxy", p);
    }
    if (hasTls()) {
      JsonObject t = new JsonObject();
      if (trustStorePath != null) {
        t.put("trustStore", trustStorePath).put("trustStoreType", effectiveTrustStoreType().name());
      }
      if (certificatePath != null) {
        t.put("certificate", certificatePath);
      }
      if (keyPath != null) {
        t.put("key", keyPath);
      }
      t.put("trustAll", trustAll);
      json.put("tls", t);
    }
    return json;
  }

  /** Safe to log: {@link #toJson()} plus whether a key is set, never what it is. */
  @Override
  public String toString() {
    return getClass().getSimpleName()
        + toJson().put("apiKey", apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)").encode();
  }

  /** Whether a header of that name carries a credential (never written by {@link #toJson()}). */
  public static boolean isCredentialHeader(String name) {
    return name != null && SECRET_HEADER.matcher(name).matches();
  }

  // ---- applying them ----

  /**
   * The Vert.x client options these settings mean: keep-alive, the connect timeout, HTTP/2 (ALPN
   * for https; for plain http an h2c upgrade, or prior knowledge when {@link
   * #isH2cPriorKnowledge()}), TLS trust and client certificate, trust-all (logged as a warning) and
   * the proxy. Every provider's client is built from this.
   */
  public HttpClientOptions toHttpClientOptions() {
    HttpClientOptions o = new HttpClientOptions().setKeepAlive(true);
    if (connectTimeout != null && !connectTimeout.isZero() && !connectTimeout.isNegative()) {
      o.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, TimerDelays.millis(connectTimeout)));
    }
    if (http2) {
      o.setProtocolVersion(HttpVersion.HTTP_2);
      boolean https = baseUrl != null && baseUrl.regionMatches(true, 0, "https:", 0, 6);
      if (https) {
        o.setUseAlpn(true); // h2 when the server offers it, else HTTP/1.1
      } else {
        o.setHttp2ClearTextUpgrade(!h2cPriorKnowledge);
      }
    }
    if (trustStorePath != null) {
      switch (effectiveTrustStoreType()) {
        case PEM -> o.setTrustOptions(new PemTrustOptions().addCertPath(trustStorePath));
        case JKS ->
            o.setTrustOptions(
                new JksOptions().setPath(trustStorePath).setPassword(trustStorePassword));
        case PKCS12 ->
            o.setTrustOptions(
                new PfxOptions().setPath(trustStorePath).setPassword(trustStorePassword));
      }
    }
    if (certificatePath != null) {
      if (keyPath == null) {
        throw new IllegalStateException(
            name + ": a client certificate needs its private key (setKeyPath / tls.key)");
      }
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificatePath).setKeyPath(keyPath));
    }
    if (trustAll) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: trustAll is set: server certificates of {1} are NOT verified; use a trust store"
              + " instead outside of tests",
          name,
          baseUrl);
      o.setTrustAll(true).setVerifyHost(false);
    }
    if (proxy != null) {
      o.setProxyOptions(new ProxyOptions(proxy));
    }
    return o;
  }

  /**
   * The pool: {@link #getMaxPoolSize()} HTTP/1.1 connections and {@link #getHttp2MaxPoolSize()}
   * HTTP/2 connections per server.
   */
  public PoolOptions toPoolOptions() {
    return new PoolOptions().setHttp1MaxSize(maxPoolSize).setHttp2MaxSize(getHttp2MaxPoolSize());
  }

  // ---- getters and fluent setters ----

  public String getName() {
    return name;
  }

  /** The name errors carry as their provider; the factory sets the configured one. */
  public T setName(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return self();
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /**
   * The server; a path is kept, a trailing slash dropped. User info ({@code https://u:p@host})
   * becomes a Basic {@code Authorization} header and is dropped from the URL.
   */
  public T setBaseUrl(String baseUrl) {
    return setParsedBaseUrl(parseBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl")));
  }

  /** Sets a base URL already parsed (for example from an environment variable). */
  protected T setParsedBaseUrl(BaseUrl url) {
    this.baseUrl = url.printable();
    this.baseUrlAuthorization = url.authorization();
    return self();
  }

  /**
   * The Basic {@code Authorization} value from user info in the base URL, or null. Protected: it is
   * a credential; each provider exposes it to its own package only.
   */
  protected String baseUrlAuthorization() {
    return baseUrlAuthorization;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** The resolved API key (default none); never written by {@link #toJson()} or toString. */
  public T setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return self();
  }

  /** The four timeouts as one value; a null field means no limit of that kind. */
  public Timeouts getTimeouts() {
    return new Timeouts(connectTimeout, firstByteTimeout, idleTimeout, totalTimeout);
  }

  /** Sets all four timeouts (default {@link #DEFAULT_TIMEOUTS}); null: no limits at all. */
  public T setTimeouts(Timeouts timeouts) {
    Timeouts t = timeouts == null ? Timeouts.NONE : timeouts;
    connectTimeout = t.connect();
    firstByteTimeout = t.firstByte();
    idleTimeout = t.idle();
    totalTimeout = t.total();
    return self();
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** Default 10 s; null or zero: none. */
  public T setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return self();
  }

  public Duration getFirstByteTimeout() {
    return firstByteTimeout;
  }

  /** Default 10 min (a cold model load, a whole non-streamed reply); null or zero: none. */
  public T setFirstByteTimeout(Duration firstByteTimeout) {
    this.firstByteTimeout = firstByteTimeout;
    return self();
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** Default 5 min between stream lines; null or zero: none. */
  public T setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    return self();
  }

  public Duration getTotalTimeout() {
    return totalTimeout;
  }

  /** Default none; null or zero: none. */
  public T setTotalTimeout(Duration totalTimeout) {
    this.totalTimeout = totalTimeout;
    return self();
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /**
   * HTTP/1.1 connections kept per server, default {@value #DEFAULT_MAX_POOL_SIZE}. A live stream
   * holds one, so this caps concurrent streams; requests beyond it wait for a connection.
   */
  public T setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = positive(maxPoolSize, "maxPoolSize");
    return self();
  }

  /**
   * HTTP/2 connections per server: as set, or by default enough for {@link #getMaxPoolSize()}
   * streams at {@value #STREAMS_PER_HTTP2_CONNECTION} streams a connection (1 for the default 64).
   */
  public int getHttp2MaxPoolSize() {
    if (http2MaxPoolSize > 0) {
      return http2MaxPoolSize;
    }
    return Math.max(
        1, (maxPoolSize + STREAMS_PER_HTTP2_CONNECTION - 1) / STREAMS_PER_HTTP2_CONNECTION);
  }

  /** HTTP/2 connections per server (each multiplexes many streams); see the getter's default. */
  public T setHttp2MaxPoolSize(int http2MaxPoolSize) {
    this.http2MaxPoolSize = positive(http2MaxPoolSize, "http2MaxPoolSize");
    return self();
  }

  public boolean isHttp2() {
    return http2;
  }

  /**
   * Default false (HTTP/1.1). True: HTTP/2 where the server supports it: negotiated by ALPN for
   * https (falling back to HTTP/1.1), by an h2c upgrade for plain http unless {@link
   * #setH2cPriorKnowledge prior knowledge} is on. Ollama speaks HTTP/1.1 only.
   */
  public T setHttp2(boolean http2) {
    this.http2 = http2;
    return self();
  }

  public boolean isH2cPriorKnowledge() {
    return h2cPriorKnowledge;
  }

  /**
   * Default false. True with {@link #setHttp2 http2} on a plain-http URL: speak HTTP/2 from the
   * first byte (the server must support h2c), without an upgrade request.
   */
  public T setH2cPriorKnowledge(boolean h2cPriorKnowledge) {
    this.h2cPriorKnowledge = h2cPriorKnowledge;
    return self();
  }

  public int getMaxLineSize() {
    return maxLineSize;
  }

  /** Default 8 MiB; a longer stream line fails the stream instead of filling memory. */
  public T setMaxLineSize(int maxLineSize) {
    this.maxLineSize = positive(maxLineSize, "maxLineSize");
    return self();
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  /** A larger non-streamed reply fails; default 256 MiB (Anthropic: 32 MiB). */
  public T setMaxBodySize(int maxBodySize) {
    this.maxBodySize = positive(maxBodySize, "maxBodySize");
    return self();
  }

  public long getMaxBufferedBytes() {
    return maxBufferedBytes;
  }

  /**
   * Default 64 MiB: the most bytes all streams of the client hold together (lines being read,
   * replies being assembled); the stream that would pass it fails, the others go on.
   */
  public T setMaxBufferedBytes(long maxBufferedBytes) {
    if (maxBufferedBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must be positive, got " + maxBufferedBytes);
    }
    this.maxBufferedBytes = maxBufferedBytes;
    return self();
  }

  public int getMaxResultSize() {
    return maxResultSize;
  }

  /** Default 32 MiB: a larger streamed reply fails (also under the neutral {@code chat()}). */
  public T setMaxResultSize(int maxResultSize) {
    this.maxResultSize = positive(maxResultSize, "maxResultSize");
    return self();
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  /**
   * Headers sent with every request (default none). They override the provider's defaults ({@code
   * User-Agent}, {@code Authorization}...), but never the protocol headers an exchange depends on
   * ({@code Content-Type}, {@code Accept}).
   */
  public T setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(headers);
    return self();
  }

  public T addHeader(String name, String value) {
    headers.put(name, value);
    return self();
  }

  /** The proxy (a copy), or null for a direct connection (default). */
  public ProxyOptions getProxyOptions() {
    return proxy == null ? null : new ProxyOptions(proxy);
  }

  /** HTTP (CONNECT), SOCKS4 or SOCKS5 proxy; default none. The password is never written out. */
  public T setProxyOptions(ProxyOptions proxy) {
    this.proxy = proxy == null ? null : new ProxyOptions(proxy);
    return self();
  }

  public String getTrustStorePath() {
    return trustStorePath;
  }

  /**
   * Certificates trusted for https instead of the JVM's default ones: a PEM file, a JKS or a
   * PKCS#12 store (see {@link #setTrustStoreType}). Default none: the JVM's trust store.
   */
  public T setTrustStorePath(String trustStorePath) {
    this.trustStorePath = trustStorePath;
    return self();
  }

  public TrustStoreType getTrustStoreType() {
    return trustStoreType;
  }

  /** Default null: from the file name ({@link TrustStoreType#fromFileName}). */
  public T setTrustStoreType(TrustStoreType trustStoreType) {
    this.trustStoreType = trustStoreType;
    return self();
  }

  /** The type used: as set, or from the trust store's file name. */
  public TrustStoreType effectiveTrustStoreType() {
    if (trustStoreType != null) {
      return trustStoreType;
    }
    return trustStorePath == null ? null : TrustStoreType.fromFileName(trustStorePath);
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  /** Password of a JKS or PKCS#12 trust store; never written out. */
  public T setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
    return self();
  }

  public String getCertificatePath() {
    return certificatePath;
  }

  /** Client certificate (PEM chain) for mutual TLS; needs {@link #setKeyPath}. Default none. */
  public T setCertificatePath(String certificatePath) {
    this.certificatePath = certificatePath;
    return self();
  }

  public String getKeyPath() {
    return keyPath;
  }

  /** The client certificate's private key (PEM, PKCS#8 or PKCS#1). Default none. */
  public T setKeyPath(String keyPath) {
    this.keyPath = keyPath;
    return self();
  }

  public boolean isTrustAll() {
    return trustAll;
  }

  /**
   * Default false. True: accept any server certificate and host name (tests only); building the
   * client logs a warning.
   */
  public T setTrustAll(boolean trustAll) {
    this.trustAll = trustAll;
    return self();
  }

  private boolean hasTls() {
    return trustStorePath != null || certificatePath != null || keyPath != null || trustAll;
  }

  // ---- helpers ----

  protected static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  /** A duration key: absent keeps {@code fallback}, JSON null is none, else ISO-8601 or millis. */
  protected static Duration duration(JsonObject json, String key, Duration fallback) {
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

  /** Writes the duration as ISO-8601, or JSON null for none (so that a round trip keeps it). */
  protected static void putDuration(JsonObject json, String key, Duration value) {
    if (value == null) {
      json.putNull(key);
    } else {
      json.put(key, value.toString());
    }
  }
}
