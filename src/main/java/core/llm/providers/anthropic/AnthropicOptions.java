package core.llm.providers.anthropic;

import core.llm.common.BaseUrl;
import core.llm.providers.base.Timeouts;
import core.llm.providers.spi.TransportOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of an {@link AnthropicProvider}, in the Vert.x data-object style: a no-argument
 * constructor with defaults, a copy constructor, a {@link JsonObject} constructor, {@link
 * #toJson()} (symmetric, secrets left out) and fluent setters. The transport settings (timeouts,
 * pool, HTTP/2, TLS, proxy, headers, size limits) are {@link TransportOptions}'; this class adds
 * {@code anthropicVersion}, {@code defaultMaxTokens} and {@code betas}.
 *
 * <p>The API key is a resolved value (read it from a secret store or {@code ANTHROPIC_API_KEY}
 * before building the options). It is sent as {@code x-api-key} and never appears in {@link
 * #toJson()}, {@link #toString()}, logs or error messages.
 *
 * <p>Timeouts: without streaming, Anthropic sends the response head only after the whole reply has
 * been generated, so the first-byte timeout defaults to 10 minutes (the official SDKs' default
 * request timeout). Streams send {@code ping} events, so a 5-minute idle timeout is generous.
 */
public class AnthropicOptions extends TransportOptions<AnthropicOptions> {
  public static final String DEFAULT_NAME = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The {@code anthropic-version} header: the only stable version of the Messages API. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  /** {@code max_tokens} when the request sets none: the API requires the field. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Largest non-streamed reply accepted: 32 MiB (no embeddings here). */
  public static final int DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024;

  private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
  private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
  private List<String> betas = new ArrayList<>();

  public AnthropicOptions() {
    super(DEFAULT_NAME, DEFAULT_BASE_URL);
    setMaxBodySize(DEFAULT_MAX_BODY_SIZE);
  }

  public AnthropicOptions(AnthropicOptions other) {
    super(other);
    this.anthropicVersion = other.anthropicVersion;
    this.defaultMaxTokens = other.defaultMaxTokens;
    this.betas = new ArrayList<>(other.betas);
  }

  /**
   * Reads the options from JSON: the keys of {@link TransportOptions} plus {@code
   * anthropicVersion}, {@code defaultMaxTokens} and {@code betas}. Durations are ISO-8601 ({@code
   * PT10M}) or milliseconds. The older nested form {@code timeouts: {connect, firstByte, idle,
   * total}} is still read.
   */
  public AnthropicOptions(JsonObject json) {
    this();
    readJson(json);
    JsonObject t = json.getJsonObject("timeouts");
    if (t != null) {
      Timeouts now = getTimeouts();
      setTimeouts(
          new Timeouts(
              duration(t, "connect", now.connect()),
              duration(t, "firstByte", now.firstByte()),
              duration(t, "idle", now.idle()),
              duration(t, "total", now.total())));
    }
    setAnthropicVersion(json.getString("anthropicVersion", anthropicVersion));
    setDefaultMaxTokens(json.getInteger("defaultMaxTokens", defaultMaxTokens));
    JsonArray b = json.getJsonArray("betas");
    if (b != null) {
      b.forEach(v -> betas.add(String.valueOf(v)));
    }
  }

  @Override
  protected BaseUrl parseBaseUrl(String url) {
    return BaseUrl.absolute(url, "AnthropicOptions.baseUrl");
  }

  @Override
  protected String baseUrlAuthorization() {
    return super.baseUrlAuthorization();
  }

  /** The JSON form, without the API key and credential headers, so that it can be logged. */
  @Override
  public JsonObject toJson() {
    return super.toJson()
        .put("anthropicVersion", anthropicVersion)
        .put("defaultMaxTokens", defaultMaxTokens)
        .put("betas", new JsonArray(new ArrayList<>(betas)));
  }

  /** The resolved API key, sent as {@code x-api-key}. Default none (a gateway may not need one). */
  @Override
  public AnthropicOptions setApiKey(String apiKey) {
    return super.setApiKey(apiKey);
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
}
