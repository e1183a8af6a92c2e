package core.llm.providers.base;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The one transport seam shared by every HTTP provider: {@link #call} sends a request and returns
 * the whole body of a 2xx reply, {@link #stream} streams a line-framed body (NDJSON or SSE) into
 * typed chunks. Both map every failure through the provider's {@link HttpErrorMapper}. Nothing here
 * retries: retries belong to the router.
 */
public final class HttpTransport {
  private final Vertx vertx;
  private final HttpClient client;
  private final String providerName;
  private final URI baseUri;
  private final String basePath;
  private final Supplier<MultiMap> headers;
  private final HttpErrorMapper errors;
  private final int maxLineSize;
  private final int maxBodySize;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param baseUrl absolute http(s) URL; a path in it prefixes every call path
   * @param headers asked once per request: static and per-request headers to add (only read, never
   *     modified, so a supplier may return the same map every time)
   * @param maxLineSize longest stream line accepted before the stream fails
   * @param maxBodySize largest non-streamed body accepted
   */
  public HttpTransport(
      Vertx vertx,
      HttpClient client,
      String providerName,
      String baseUrl,
      Supplier<MultiMap> headers,
      HttpErrorMapper errors,
      int maxLineSize,
      int maxBodySize) {
    this.vertx = vertx;
    this.client = client;
    this.providerName = providerName;
    this.baseUri = URI.create(baseUrl);
    String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.headers = headers;
    this.errors = errors;
    this.maxLineSize = maxLineSize;
    this.maxBodySize = maxBodySize;
  }

  /** Sends the call; the future holds the body of a 2xx reply, or fails with a typed error. */
  public Future<Buffer> call(HttpCall call) {
    UnaryExchange exchange = new UnaryExchange(this, call, null, maxBodySize);
    exchange.start();
    return exchange.future();
  }

  /** Sends the call with a streamed request body (for example a file) of the given length. */
  public Future<Buffer> upload(HttpCall call, ReadStream<Buffer> body) {
    UnaryExchange exchange = new UnaryExchange(this, call, body, maxBodySize);
    exchange.start();
    return exchange.future();
  }

  /**
   * Sends the call and streams the reply's lines through the decoder. The request starts now; the
   * chunks wait, with the socket paused, until the returned stream gets a handler.
   */
  public <T, R> ResponseStream<T, R> stream(
      HttpCall call, LineDecoder<T> decoder, StreamAggregator<T, R> aggregator) {
    LineStream<T, R> stream = new LineStream<>(this, call, decoder, aggregator, maxLineSize);
    stream.start();
    return stream;
  }

  RequestOptions requestOptions(HttpCall call) {
    boolean ssl = "https".equalsIgnoreCase(baseUri.getScheme());
    int port = baseUri.getPort() > 0 ? baseUri.getPort() : ssl ? 443 : 80;
    RequestOptions options =
        new RequestOptions()
            .setMethod(call.method())
            .setHost(baseUri.getHost())
            .setPort(port)
            .setSsl(ssl)
            .setURI(basePath + call.path());
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    MultiMap common = headers.get();
    if (common != null) {
      all.addAll(common);
    }
    if (call.headers() != null) {
      // One by one: MultiMap.setAll would first clear the common headers (User-Agent, keys).
      call.headers().names().forEach(name -> all.set(name, call.headers().getAll(name)));
    }
    // Protocol headers last: what the body is and which reply this client can parse are not the
    // caller's to change (a custom Content-Type went out on GETs, a custom Accept replaced a
    // stream's). User-Agent, Authorization and the rest stay overridable on purpose.
    all.remove(HttpHeaders.CONTENT_TYPE);
    all.set(HttpHeaders.ACCEPT, "application/json");
    if (call.body() != null) {
      all.set(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    if (call.protocolHeaders() != null) {
      call.protocolHeaders().names().forEach(name -> all.set(name, call.protocolHeaders().getAll(name)));
    }
    options.setHeaders(all);
    return options;
  }

  String url(HttpCall call) {
    String scheme = baseUri.getScheme();
    String authority = baseUri.getRawAuthority();
    return scheme + "://" + authority + basePath + call.path();
  }

  Vertx vertx() {
    return vertx;
  }

  HttpClient client() {
    return client;
  }

  String providerName() {
    return providerName;
  }

  HttpErrorMapper errors() {
    return errors;
  }

  /**
   * Exchanges started and not yet finished, failed or cancelled. Each holds a connection and its
   * timers; when this is 0 none is held.
   */
  public int inFlight() {
    return inFlight.get();
  }

  void exchangeStarted() {
    inFlight.incrementAndGet();
  }

  void exchangeEnded() {
    inFlight.decrementAndGet();
  }

  /** The base URL as configured, for messages. */
  public String baseUrl() {
    return baseUri.toString();
  }
}
