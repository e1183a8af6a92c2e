package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import core.llm.common.Capability;
import core.llm.common.CapabilityMissingException;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorContext;
import core.llm.common.HealthStatus;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ModelInfo;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.spi.FailedStream;
import core.llm.providers.spi.HttpCall;
import core.llm.providers.spi.HttpTransport;
import core.llm.providers.spi.SseDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Messages API over the shared {@link HttpTransport}; one HTTP client per provider. */
final class AnthropicProviderImpl implements AnthropicProvider {
  private static final String MESSAGES = "/v1/messages";
  private static final String COUNT_TOKENS = "/v1/messages/count_tokens";
  private static final String MODELS = "/v1/models";

  /** Models asked per page; the API's maximum. */
  private static final int MODELS_PAGE = 1000;

  /** A bound on pages followed, so a server that always says has_more cannot loop us forever. */
  private static final int MAX_MODEL_PAGES = 20;

  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.CHAT,
              Capability.STREAMING,
              Capability.TOOLS,
              Capability.VISION,
              Capability.STRUCTURED_OUTPUT,
              Capability.THINKING));

  private final Vertx vertx;
  private final AnthropicOptions options;
  private final HttpClient client;
  private final HttpTransport transport;
  private final AnthropicErrors errors;
  private final AnthropicRequests requests;

  AnthropicProviderImpl(Vertx vertx, AnthropicOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.errors = new AnthropicErrors(options.getApiKey());
    this.requests = new AnthropicRequests(options.getDefaultMaxTokens());
    this.client = HttpTransport.createClient(vertx, options, null);
    MultiMap headers = headers(options);
    this.transport = HttpTransport.create(vertx, client, options, () -> headers, errors);
  }

  private static MultiMap headers(AnthropicOptions options) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (options.getApiKey() != null && !options.getApiKey().isEmpty()) {
      h.set("x-api-key", options.getApiKey());
    }
    if (options.baseUrlAuthorization() != null) {
      h.set(HttpHeaders.AUTHORIZATION, options.baseUrlAuthorization()); // a gateway's Basic auth
    }
    h.set("anthropic-version", options.getAnthropicVersion());
    if (!options.getBetas().isEmpty()) {
      h.set("anthropic-beta", String.join(",", options.getBetas()));
    }
    for (Map.Entry<String, String> e : options.getHeaders().entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    return h;
  }

  @Override
  public String name() {
    return options.getName();
  }

  @Override
  public String type() {
    return "anthropic";
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    ErrorContext ctx = ErrorContext.of(name(), "POST " + MESSAGES);
    ObjectNode body;
    try {
      body = requests.messages(request, false, ctx);
    } catch (LlmException e) {
      return Future.failedFuture(e);
    }
    boolean structured = request.responseFormat() != null;
    return transport
        .call(post(MESSAGES, body))
        .map(
            buffer -> {
              CompletionResult r = AnthropicResponses.message(name(), buffer, structured, ctx);
              return r.model() != null
                  ? r
                  : new CompletionResult(
                      r.provider(), request.model(), r.message(), r.finishReason(), r.usage());
            });
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    ErrorContext ctx = ErrorContext.of(name(), "POST " + MESSAGES);
    ObjectNode body;
    try {
      body = requests.messages(request, true, ctx);
    } catch (LlmException e) {
      return new FailedStream<>(vertx, e);
    }
    AnthropicStream stream =
        new AnthropicStream(name(), request.model(), request.responseFormat() != null, errors);
    return transport.stream(post(MESSAGES, body), new SseDecoder<>(stream), stream);
  }

  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    ErrorContext ctx = ErrorContext.of(name(), "POST " + COUNT_TOKENS);
    ObjectNode body;
    try {
      body = requests.countTokens(request, ctx);
    } catch (LlmException e) {
      return Future.failedFuture(e);
    }
    return transport
        .call(post(COUNT_TOKENS, body))
        .map(
            buffer -> {
              JsonNode n = AnthropicResponses.parse(buffer, ctx).path("input_tokens");
              if (!n.canConvertToInt()) {
                throw new InvalidResponseException(
                    "Anthropic's count_tokens reply has no input_tokens number: " + buffer, ctx);
              }
              return new core.llm.common.TokenCount(n.asInt(), true, "anthropic count_tokens");
            });
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    return Future.failedFuture(
        new CapabilityMissingException(
            "Anthropic has no embeddings API (model "
                + request.model()
                + "); send embeddings to a"
                + " provider that has one, such as Ollama or an OpenAI-compatible server",
            "embeddings",
            ErrorContext.of(name(), "embed")));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    return modelPage(null, new ArrayList<>(), 0);
  }

  private Future<List<ModelInfo>> modelPage(String afterId, List<ModelInfo> acc, int page) {
    String path =
        MODELS
            + "?limit="
            + MODELS_PAGE
            + (afterId == null
                ? ""
                : "&after_id=" + URLEncoder.encode(afterId, StandardCharsets.UTF_8));
    ErrorContext ctx = ErrorContext.of(name(), "GET " + MODELS);
    return transport
        .call(get(path))
        .compose(
            buffer -> {
              JsonNode root = AnthropicResponses.parse(buffer, ctx);
              String last = null;
              for (JsonNode m : root.path("data")) {
                last = m.path("id").asText(null);
                if (last != null) {
                  acc.add(new ModelInfo(last, name(), null));
                }
              }
              if (root.path("has_more").asBoolean(false)
                  && last != null
                  && page + 1 < MAX_MODEL_PAGES) {
                return modelPage(root.path("last_id").asText(last), acc, page + 1);
              }
              return Future.succeededFuture(List.copyOf(acc));
            });
  }

  @Override
  public Future<HealthStatus> health() {
    long start = System.nanoTime();
    return transport
        .call(get(MODELS + "?limit=1"))
        .map(
            buffer ->
                new HealthStatus(
                    true,
                    since(start),
                    "Anthropic answered GET " + MODELS + " at " + options.getBaseUrl(),
                    Instant.now()))
        .otherwise(e -> new HealthStatus(false, since(start), e.getMessage(), Instant.now()));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public Future<Void> close() {
    return transport.close(); // cancels what is in flight, then closes the HTTP client
  }

  private HttpCall post(String path, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = AnthropicRequests.JSON.writeValueAsBytes(body);
    } catch (Exception e) {
      throw new IllegalStateException("A JSON tree always serialises", e);
    }
    return new HttpCall(HttpMethod.POST, path, null, Buffer.buffer(bytes), options.getTimeouts());
  }

  private HttpCall get(String path) {
    return new HttpCall(HttpMethod.GET, path, null, null, options.getTimeouts());
  }

  @Override
  public String toString() {
    return "AnthropicProvider[" + name() + " at " + options.getBaseUrl() + "]";
  }
}
