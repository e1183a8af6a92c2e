package core.llm.providers.openai;

import core.llm.common.Capability;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorContext;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.spi.CompletionAccumulator;
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
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The implementation behind {@link OpenAiProvider}: wire format over the shared transport. */
final class OpenAiProviderImpl implements OpenAiProvider {
  private static final String CHAT = "/chat/completions";
  private static final String EMBEDDINGS = "/embeddings";
  private static final String MODELS = "/models";
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.CHAT,
              Capability.STREAMING,
              Capability.EMBEDDINGS,
              Capability.TOOLS,
              Capability.VISION,
              Capability.STRUCTURED_OUTPUT,
              Capability.THINKING));
  private static final String USER_AGENT =
      "core-llm/" + version() + " Java/" + System.getProperty("java.version");

  private final OpenAiOptions options;
  private final HttpClient client;
  private final OpenAiErrors errors;
  private final HttpTransport transport;
  private final MultiMap commonHeaders;

  OpenAiProviderImpl(Vertx vertx, OpenAiOptions options) {
    this.options = options;
    this.client =
        HttpTransport.createClient(vertx, options, http -> http.setDecompressionSupported(true));
    this.errors = new OpenAiErrors(options.getApiKey());
    this.commonHeaders = headers(options);
    this.transport = HttpTransport.create(vertx, client, options, () -> commonHeaders, errors);
  }

  private static MultiMap headers(OpenAiOptions o) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.set(HttpHeaders.USER_AGENT, USER_AGENT);
    String key = o.getApiKey();
    // the API key wins over credentials in the URL; custom headers below win over both
    if (key != null && !key.isBlank()) {
      h.set(HttpHeaders.AUTHORIZATION, "Bearer " + key.trim());
    } else if (o.baseUrlAuthorization() != null) {
      h.set(HttpHeaders.AUTHORIZATION, o.baseUrlAuthorization());
    }
    if (o.getOrganization() != null) {
      h.set("OpenAI-Organization", o.getOrganization());
    }
    if (o.getProject() != null) {
      h.set("OpenAI-Project", o.getProject());
    }
    for (Map.Entry<String, String> e : o.getHeaders().entrySet()) {
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
    return "openai";
  }

  @Override
  public OpenAiOptions options() {
    return new OpenAiOptions(options);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    HttpCall call = post(CHAT, OpenAiWire.chatBody(request, false), null);
    ErrorContext ctx = ErrorContext.of(name(), call.endpoint());
    return transport
        .call(call)
        .map(body -> OpenAiWire.chatResult(body, name(), request.model(), ctx));
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    // Accept stays application/json (the transport's protocol default, as the official SDK
    // sends): servers stream on "stream":true.
    HttpCall call = post(CHAT, OpenAiWire.chatBody(request, true), null);
    CompletionAccumulator accumulator =
        new CompletionAccumulator(
            name(), request.model(), ErrorContext.of(name(), call.endpoint()));
    return transport.stream(
        call, new SseDecoder<>(new OpenAiStreamHandler(accumulator, errors)), accumulator);
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    HttpCall call = post(EMBEDDINGS, OpenAiWire.embeddingBody(request), null);
    ErrorContext ctx = ErrorContext.of(name(), call.endpoint());
    return transport.call(call).map(body -> OpenAiWire.embeddingResult(body, name(), request, ctx));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    HttpCall call = new HttpCall(HttpMethod.GET, MODELS, null, null, options.getTimeouts());
    ErrorContext ctx = ErrorContext.of(name(), call.endpoint());
    return transport.call(call).map(body -> OpenAiWire.models(body, name(), ctx));
  }

  /** Up when {@code GET /models} answers; never fails, the reason is in the detail. */
  @Override
  public Future<HealthStatus> health() {
    long start = System.nanoTime();
    return listModels()
        .transform(
            ar -> {
              Duration latency = Duration.ofNanos(System.nanoTime() - start);
              String detail =
                  ar.succeeded()
                      ? ar.result().size() + " model(s) at " + options.getBaseUrl()
                      : ar.cause().getMessage();
              return Future.succeededFuture(
                  new HealthStatus(ar.succeeded(), latency, detail, Instant.now()));
            });
  }

  @Override
  public Future<Void> close() {
    return transport.close(); // cancels what is in flight, then closes the HTTP client
  }

  private HttpCall post(String path, Buffer body, MultiMap headers) {
    return new HttpCall(HttpMethod.POST, path, headers, body, options.getTimeouts());
  }

  private static String version() {
    String v = OpenAiProviderImpl.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Exact for OpenAI's own models (their encodings), else a marked estimate. */
  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    return Future.succeededFuture(
        OpenAiTokens.count(request).orElseGet(() -> core.llm.common.TokenCount.estimate(request)));
  }
}
