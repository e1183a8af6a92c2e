package core.llm.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import core.llm.common.BadRequestException;
import core.llm.common.ErrorContext;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.Timeouts;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.CopyRequest;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.DeleteRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.EmbeddingsRequest;
import core.llm.providers.ollama.models.EmbeddingsResponse;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.ListResponse;
import core.llm.providers.ollama.models.MeResponse;
import core.llm.providers.ollama.models.ModelRecommendationsResponse;
import core.llm.providers.ollama.models.ProcessResponse;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.PushRequest;
import core.llm.providers.ollama.models.ShowRequest;
import core.llm.providers.ollama.models.ShowResponse;
import core.llm.providers.ollama.models.StatusResponse;
import core.llm.providers.ollama.models.VersionResponse;
import core.llm.providers.ollama.models.WebFetchRequest;
import core.llm.providers.ollama.models.WebFetchResponse;
import core.llm.providers.ollama.models.WebSearchRequest;
import core.llm.providers.ollama.models.WebSearchResponse;
import core.llm.providers.spi.HttpCall;
import core.llm.providers.spi.HttpTransport;
import core.llm.providers.spi.StreamAggregator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The client: each endpoint is a few lines over the shared {@link HttpTransport}. */
final class OllamaClientImpl implements OllamaClient {
  private static final String NDJSON_AND_JSON = "application/x-ndjson, application/json";

  /**
   * What a stream accepts; shared by every stream, so never modified (the transport only reads).
   */
  private static final MultiMap STREAM_PROTOCOL =
      MultiMap.caseInsensitiveMultiMap().set(HttpHeaders.ACCEPT, NDJSON_AND_JSON);

  private final Vertx vertx;
  private final HttpClient http;
  private final HttpTransport transport;
  private final OllamaClientOptions options;
  private final Timeouts timeouts;
  private final MultiMap extraHeaders;
  private final Supplier<MultiMap> headers;

  OllamaClientImpl(Vertx vertx, OllamaClientOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.headers = headerSource(options);
    this.timeouts = options.timeouts();
    this.extraHeaders = null;
    this.http = HttpTransport.createClient(vertx, options, null);
    this.transport = HttpTransport.create(vertx, http, options, headers, new OllamaErrors());
  }

  private OllamaClientImpl(OllamaClientImpl parent, Timeouts timeouts, MultiMap extraHeaders) {
    this.vertx = parent.vertx;
    this.options = parent.options;
    this.headers = parent.headers;
    this.http = parent.http;
    this.transport = parent.transport;
    this.timeouts = timeouts;
    this.extraHeaders = extraHeaders;
  }

  /** Static headers, then the per-request supplier's, then the bearer key for ollama.com only. */
  private static Supplier<MultiMap> headerSource(OllamaClientOptions options) {
    boolean cloud = isCloud(options.getBaseUrl());
    String bearer = cloud && options.getApiKey() != null ? "Bearer " + options.getApiKey() : null;
    String userAgent = options.getUserAgent();
    Map<String, String> fixed = Map.copyOf(options.getHeaders());
    Supplier<Map<String, String>> supplier = options.getHeaderSupplier();
    MultiMap fixedHeaders = MultiMap.caseInsensitiveMultiMap();
    fixedHeaders.set(HttpHeaders.USER_AGENT, userAgent);
    // the API key wins over credentials in the URL; custom headers below win over both
    String authorization = bearer != null ? bearer : options.baseUrlAuthorization();
    if (authorization != null) {
      fixedHeaders.set(HttpHeaders.AUTHORIZATION, authorization);
    }
    fixed.forEach(fixedHeaders::set);
    if (supplier == null) {
      return () -> fixedHeaders; // read-only for the transport, which copies it into each request
    }
    return () -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(fixedHeaders);
      Map<String, String> dynamic = supplier.get();
      if (dynamic != null) {
        dynamic.forEach(headers::set);
      }
      return headers;
    };
  }

  /** Whether the base URL is ollama.com itself: the only host that gets the API key. */
  private static boolean isCloud(String baseUrl) {
    String host = URI.create(baseUrl).getHost();
    return host != null
        && (host.equalsIgnoreCase("ollama.com")
            || host.toLowerCase(java.util.Locale.ROOT).endsWith(".ollama.com"));
  }

  @Override
  public OllamaClient with(Timeouts newTimeouts, Map<String, String> headers) {
    MultiMap merged = MultiMap.caseInsensitiveMultiMap();
    if (extraHeaders != null) {
      merged.addAll(extraHeaders);
    }
    if (headers != null) {
      headers.forEach(merged::set);
    }
    return new OllamaClientImpl(this, timeouts.overriddenBy(newTimeouts), merged);
  }

  // ---- generation ----

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    return post("/api/generate", request.withStream(false), GenerateResponse.class)
        .compose(r -> complete(r, r.done(), r.debugInfo() != null, "POST /api/generate"));
  }

  @Override
  public ResponseStream<GenerateResponse, GenerateResponse> generateStream(
      GenerateRequest request) {
    return stream(
        "/api/generate",
        request.withStream(true),
        GenerateResponse.class,
        r -> Boolean.TRUE.equals(r.done()),
        GenerateResponse::extra,
        Aggregators.generate());
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request) {
    return post("/api/chat", request.withStream(false), ChatResponse.class)
        .compose(r -> complete(r, r.done(), r.debugInfo() != null, "POST /api/chat"));
  }

  @Override
  public ResponseStream<ChatResponse, ChatResponse> chatStream(ChatRequest request) {
    // plain token lines are read without data binding: most of a stream's lines, each a token
    return transport.stream(
        streamCall("/api/chat", request.withStream(true)),
        new NdjsonDecoder<>(
            ChatResponse.class,
            r -> Boolean.TRUE.equals(r.done()),
            "done:true",
            ChatResponse::extra,
            new NdjsonDecoder.PlainChatChunks()),
        Aggregators.chat());
  }

  /**
   * {@link #chatStream}'s reply as the server wrote it: whole NDJSON lines, no record per token,
   * for a relay to an Ollama client. The result is the final line; error lines fail the stream as
   * in {@link #chatStream}.
   */
  ResponseStream<Buffer, ChatResponse> chatStreamWire(ChatRequest request) {
    return transport.wireStream(
        streamCall("/api/chat", request.withStream(true)),
        new NdjsonDecoder<>(
            ChatResponse.class,
            r -> Boolean.TRUE.equals(r.done()),
            "done:true",
            ChatResponse::extra));
  }

  /**
   * {@link #chatStream}'s reply without its chunks: the same stream (so the idle timeout watches a
   * long generation and a slow load is not cut by the first-byte limit), folded line by line as it
   * is read instead of decoded into a record per token. For the provider's non-streamed chat.
   */
  /** The longest silence this client allows between two body chunks; null for no limit. */
  java.time.Duration idleTimeout() {
    return timeouts.idle();
  }

  Future<ChatResponse> chatFolded(ChatRequest request) {
    HttpCall call;
    try {
      call = streamCall("/api/chat", request.withStream(true));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Aggregators.ChatFold fold =
        Aggregators.chatFold(
            new NdjsonDecoder<>(
                ChatResponse.class,
                r -> Boolean.TRUE.equals(r.done()),
                "done:true",
                ChatResponse::extra),
            options.getMaxResultSize());
    return transport.stream(call, fold, fold).result();
  }

  /** A non-streamed reply with {@code done:false} is the engine stopping early (§3.2.1 (6)). */
  private <T> Future<T> complete(T reply, Boolean done, boolean debug, String endpoint) {
    if (Boolean.TRUE.equals(done) || debug) {
      return Future.succeededFuture(reply);
    }
    return Future.failedFuture(
        new IncompleteStreamException(
            "Ollama returned a reply without done:true: the engine stopped early (for example its"
                + " runaway-repetition guard); the reply is incomplete",
            List.of(reply),
            core.llm.common.ErrorContext.of(options.getName(), endpoint)));
  }

  @Override
  public Future<EmbedResponse> embed(EmbedRequest request) {
    return post("/api/embed", request, EmbedResponse.class);
  }

  @Override
  @Deprecated
  public Future<EmbeddingsResponse> embeddings(EmbeddingsRequest request) {
    return post("/api/embeddings", request, EmbeddingsResponse.class);
  }

  // ---- model management ----

  @Override
  public Future<ProgressResponse> pull(PullRequest request) {
    return post("/api/pull", request.withStream(false), ProgressResponse.class);
  }

  @Override
  public ResponseStream<ProgressResponse, ProgressSummary> pullStream(PullRequest request) {
    return progress("/api/pull", request.withStream(true));
  }

  @Override
  public Future<ProgressResponse> push(PushRequest request) {
    return post("/api/push", request.withStream(false), ProgressResponse.class);
  }

  @Override
  public ResponseStream<ProgressResponse, ProgressSummary> pushStream(PushRequest request) {
    return progress("/api/push", request.withStream(true));
  }

  @Override
  public Future<ProgressResponse> create(CreateRequest request) {
    return post("/api/create", request.withStream(false), ProgressResponse.class);
  }

  @Override
  public ResponseStream<ProgressResponse, ProgressSummary> createStream(CreateRequest request) {
    return progress("/api/create", request.withStream(true));
  }

  @Override
  public Future<ShowResponse> show(ShowRequest request) {
    return post("/api/show", request, ShowResponse.class);
  }

  @Override
  public Future<ListResponse> list() {
    return get("/api/tags", ListResponse.class);
  }

  @Override
  public Future<ProcessResponse> ps() {
    return get("/api/ps", ProcessResponse.class);
  }

  @Override
  public Future<VersionResponse> version() {
    return get("/api/version", VersionResponse.class);
  }

  @Override
  public Future<StatusResponse> status() {
    return get("/api/status", StatusResponse.class);
  }

  @Override
  public Future<Void> copy(CopyRequest request) {
    return send(HttpMethod.POST, "/api/copy", request).mapEmpty();
  }

  @Override
  public Future<Void> delete(DeleteRequest request) {
    return send(HttpMethod.DELETE, "/api/delete", request).mapEmpty();
  }

  @Override
  public Future<Boolean> blobExists(String digest) {
    return new Blobs(vertx, transport, this::call).exists(digest);
  }

  @Override
  public Future<String> createBlob(Path file) {
    return new Blobs(vertx, transport, this::call).upload(file);
  }

  @Override
  public Future<Void> heartbeat() {
    return transport.call(call(HttpMethod.HEAD, "/", null)).mapEmpty();
  }

  // ---- account and experimental ----

  @Override
  public Future<MeResponse> me() {
    return send(HttpMethod.POST, "/api/me", null)
        .compose(b -> decode(b, MeResponse.class, "POST /api/me"));
  }

  @Override
  public Future<Void> signout() {
    return send(HttpMethod.POST, "/api/signout", null).mapEmpty();
  }

  @Override
  public Future<WebSearchResponse> webSearch(WebSearchRequest request) {
    if (request == null || request.query() == null || request.query().isBlank()) {
      return Future.failedFuture(emptyArgument("web search", "query"));
    }
    return post(webRoute("web_search"), request, WebSearchResponse.class);
  }

  @Override
  public Future<WebFetchResponse> webFetch(WebFetchRequest request) {
    if (request == null || request.url() == null || request.url().isBlank()) {
      return Future.failedFuture(emptyArgument("web fetch", "url"));
    }
    return post(webRoute("web_fetch"), request, WebFetchResponse.class);
  }

  /** ollama.com serves the web routes itself; a local server has them under /api/experimental. */
  private String webRoute(String name) {
    return (isCloud(options.getBaseUrl()) ? "/api/" : "/api/experimental/") + name;
  }

  private LlmException emptyArgument(String what, String field) {
    return new BadRequestException(
        "A " + what + " needs a non-empty " + field + "; nothing was sent.",
        ErrorContext.of(options.getName(), what));
  }

  @Override
  public Future<ModelRecommendationsResponse> modelRecommendations() {
    return get("/api/experimental/model-recommendations", ModelRecommendationsResponse.class);
  }

  /** For tests and metrics: the transport under this client. */
  HttpTransport transport() {
    return transport;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String baseUrl() {
    return options.getBaseUrl();
  }

  @Override
  public MultiMap requestHeaders() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap().addAll(headers.get());
    if (extraHeaders != null) {
      extraHeaders.forEach(out::set);
    }
    return out;
  }

  @Override
  public Future<Void> close() {
    return transport.close(); // cancels what is in flight, then closes the HTTP client
  }

  // ---- the few helpers every endpoint uses ----

  private <T> Future<T> post(String path, Object body, Class<T> type) {
    return send(HttpMethod.POST, path, body).compose(b -> decode(b, type, "POST " + path));
  }

  private <T> Future<T> get(String path, Class<T> type) {
    return send(HttpMethod.GET, path, null).compose(b -> decode(b, type, "GET " + path));
  }

  private Future<Buffer> send(HttpMethod method, String path, Object body) {
    HttpCall call;
    try {
      call = call(method, path, body);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return transport.call(call);
  }

  HttpCall call(HttpMethod method, String path, Object body) {
    Timeouts limits = METADATA_PATHS.contains(path) ? metadataTimeouts() : timeouts;
    return new HttpCall(method, path, extraHeaders, body == null ? null : encode(body), limits);
  }

  /**
   * Calls that load no model: they get {@code metadataTimeout}, not the cold-load first-byte limit.
   */
  private static final java.util.Set<String> METADATA_PATHS =
      java.util.Set.of("/", "/api/tags", "/api/ps", "/api/version", "/api/show", "/api/status");

  /** This client's limits with first byte and total capped at the metadata timeout. */
  private Timeouts metadataTimeouts() {
    java.time.Duration cap = options.getMetadataTimeout();
    if (cap == null || cap.isZero() || cap.isNegative()) {
      return timeouts;
    }
    return new Timeouts(
        timeouts.connect(),
        shorter(timeouts.firstByte(), cap),
        timeouts.idle(),
        shorter(timeouts.total(), cap));
  }

  private static java.time.Duration shorter(java.time.Duration limit, java.time.Duration cap) {
    return limit == null || limit.isZero() || limit.isNegative() || limit.compareTo(cap) > 0
        ? cap
        : limit;
  }

  private ResponseStream<ProgressResponse, ProgressSummary> progress(String path, Object body) {
    return stream(
        path,
        body,
        ProgressResponse.class,
        p -> "success".equals(p.status()),
        null,
        Aggregators.progress());
  }

  private <T, R> ResponseStream<T, R> stream(
      String path,
      Object body,
      Class<T> type,
      Predicate<T> isFinal,
      java.util.function.Function<T, Map<String, Object>> extras,
      StreamAggregator<T, R> aggregator) {
    String marker = type == ProgressResponse.class ? "status \"success\"" : "done:true";
    return transport.stream(
        streamCall(path, body), new NdjsonDecoder<>(type, isFinal, marker, extras), aggregator);
  }

  private HttpCall streamCall(String path, Object body) {
    return new HttpCall(
        HttpMethod.POST, path, extraHeaders, encode(body), timeouts, STREAM_PROTOCOL);
  }

  private static Buffer encode(Object body) {
    try {
      return Buffer.buffer(OllamaJson.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot encode the request as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * {@code endpoint} as the transport labels it ({@code POST /api/chat}), so every error agrees.
   */
  private <T> Future<T> decode(Buffer body, Class<T> type, String endpoint) {
    try {
      return Future.succeededFuture(OllamaJson.MAPPER.readValue(new BufferInput(body), type));
    } catch (java.io.IOException e) {
      String text = body.toString();
      LlmException error =
          new InvalidResponseException(
              "Ollama's reply to "
                  + endpoint
                  + " is not the expected JSON: \""
                  + (text.length() > 120 ? text.substring(0, 120) + "..." : text)
                  + "\"",
              core.llm.common.ErrorContext.of(options.getName(), endpoint),
              e);
      return Future.failedFuture(error);
    }
  }

  /**
   * A body read in place: Jackson pulls it through its own small recycled buffer, so a large reply
   * (an embedding batch) is not first copied whole into a {@code byte[]}.
   */
  private static final class BufferInput extends java.io.InputStream {
    private final Buffer buffer;
    private int position;

    BufferInput(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return position < buffer.length() ? buffer.getByte(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      int left = buffer.length() - position;
      if (left <= 0) {
        return length == 0 ? 0 : -1;
      }
      int n = Math.min(left, length);
      buffer.getBytes(position, position + n, into, offset);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return buffer.length() - position;
    }
  }
}
