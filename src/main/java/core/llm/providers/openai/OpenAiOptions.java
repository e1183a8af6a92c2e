package core.llm.providers.openai;

import core.llm.common.BaseUrl;
import core.llm.providers.spi.TransportOptions;
import io.vertx.core.json.JsonObject;

/**
 * Options of an {@link OpenAiProvider}, in the Vert.x data-object style: defaults in a no-argument
 * constructor, a copy constructor, a {@link JsonObject} constructor, {@link #toJson()} (symmetric,
 * secrets left out) and fluent setters. The transport settings (timeouts, pool, HTTP/2, TLS, proxy,
 * headers, size limits) are {@link TransportOptions}'; this class adds {@code organization} and
 * {@code project}.
 *
 * <p>The API key is the resolved value (not an environment variable name). It is never written by
 * {@link #toJson()} or {@link #toString()}, and never appears in error messages.
 *
 * <p>Timeouts: local OpenAI-compatible servers (LM Studio, llama.cpp, Ollama's /v1) may load a
 * model before the first byte, so the first-byte timeout defaults to {@link
 * #DEFAULT_FIRST_BYTE_TIMEOUT} like the Ollama client's.
 */
public class OpenAiOptions extends TransportOptions<OpenAiOptions> {
  /** OpenAI's own API. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  public static final String DEFAULT_NAME = "openai";

  private String organization;
  private String project;

  public OpenAiOptions() {
    super(DEFAULT_NAME, DEFAULT_BASE_URL);
  }

  public OpenAiOptions(OpenAiOptions other) {
    super(other);
    organization = other.organization;
    project = other.project;
  }

  /**
   * Reads the options from JSON: the keys of {@link TransportOptions} plus {@code organization} and
   * {@code project}. Durations are ISO-8601 strings ({@code PT30S}) or milliseconds.
   */
  public OpenAiOptions(JsonObject json) {
    this();
    readJson(json);
    organization = json.getString("organization", organization);
    project = json.getString("project", project);
  }

  @Override
  protected BaseUrl parseBaseUrl(String url) {
    return BaseUrl.absolute(url, "OpenAiOptions.baseUrl");
  }

  @Override
  protected String baseUrlAuthorization() {
    return super.baseUrlAuthorization();
  }

  /** The JSON form, without the API key and credential headers. */
  @Override
  public JsonObject toJson() {
    JsonObject json = super.toJson();
    if (organization != null) {
      json.put("organization", organization);
    }
    if (project != null) {
      json.put("project", project);
    }
    return json;
  }

  /**
   * The API root including its version path (default {@value #DEFAULT_BASE_URL}); for example
   * {@code http://localhost:8000/v1} (vLLM), {@code http://localhost:8080/v1} (llama.cpp), {@code
   * http://localhost:1234/v1} (LM Studio), {@code http://localhost:11434/v1} (Ollama).
   */
  @Override
  public OpenAiOptions setBaseUrl(String baseUrl) {
    return super.setBaseUrl(baseUrl);
  }

  /**
   * The resolved key sent as {@code Authorization: Bearer}; default none (local servers need none).
   */
  @Override
  public OpenAiOptions setApiKey(String apiKey) {
    return super.setApiKey(apiKey);
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
}
