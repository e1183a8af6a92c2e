package core.llm.providers.spi;

import core.llm.common.CancelledException;
import core.llm.common.ErrorContext;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one transport seam shared by every HTTP provider: {@link #call} sends a request and returns
 * the whole body of a 2xx reply, {@link #stream} streams a line-framed body (NDJSON or SSE) into
 * typed chunks. Both map every failure through the provider's {@link HttpErrorMapper}. Nothing here
 * retries: retries belong to the router.
 */
public final class HttpTransport {
  /** Default budget of one client for the bytes its streams hold: 64 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;

  /**
   * Default cap of one streamed result: 32 MiB of lines folded into it, thousands of times a long
   * reply (with logprobs) and half the client's budget, so one stream cannot take it all.
   */
  public static final int DEFAULT_MAX_RESULT_SIZE = 32 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final String providerName;
  private final URI baseUri;
  private final String basePath;
  private final Supplier<MultiMap> headers;
  private final HttpErrorMapper errors;
  private final int maxLineSize;
  private final int maxBodySize;
  private final long maxBufferedBytes;
  private final int maxResultSize;
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicInteger liveTimers = new AtomicInteger();

  /** Exchanges started and not yet ended: what {@link #close()} cancels. */
  private final Set<Exchange> live = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  /** As the full constructor, with the default buffer budget and result cap. */
  public HttpTransport(
      Vertx vertx,
      HttpClient client,
      String providerName,
      String baseUrl,
      Supplier<MultiMap> headers,
      HttpErrorMapper errors,
      int maxLineSize,
      int maxBodySize) {
    this(
        vertx,
        client,
        providerName,
        baseUrl,
        headers,
        errors,
        maxLineSize,
        maxBodySize,
        DEFAULT_MAX_BUFFERED_BYTES,
        DEFAULT_MAX_RESULT_SIZE);
  }

  /**
   * @param baseUrl absolute http(s) URL; a path in it prefixes every call path
   * @param headers asked once per request: static and per-request headers to add (only read, never
   *     modified, so a supplier may return the same map every time)
   * @param maxLineSize longest stream line accepted before the stream fails
   * @param maxBodySize largest non-streamed body accepted
   * @param maxBufferedBytes most bytes all streams together may hold (lines being framed plus the
   *     lines folded into results); the stream that would pass it fails with an {@link
   *     core.llm.common.OverloadedException}
   * @param maxResultSize most bytes of lines folded into one streamed result; past it the stream
   *     fails with an {@link core.llm.common.InvalidResponseException}
   */
  public HttpTransport(
      Vertx vertx,
      HttpClient client,
      String providerName,
      String baseUrl,
      Supplier<MultiMap> headers,
      HttpErrorMapper errors,
      int maxLineSize,
      int maxBodySize,
      long maxBufferedBytes,
      int maxResultSize) {
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
    this.maxBufferedBytes = maxBufferedBytes;
    this.maxResultSize = maxResultSize;
  }

  /**
   * The HTTP client every provider builds its transport on. Each connection gets an exception
   * handler: a reset or other I/O error already reaches the exchange using the connection, which
   * turns it into one typed error, so without this handler Vert.x would also log it ({@code SEVERE:
   * Connection reset}) once per broken connection, and for a pooled idle one nobody needs to know.
   */
  public static HttpClient createClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    return vertx
        .httpClientBuilder()
        .with(options)
        .with(pool)
        .withConnectHandler(connection -> connection.exceptionHandler(error -> {}))
        .build();
  }

  /**
   * The client for these transport options: {@link TransportOptions#toHttpClientOptions()} (with
   * {@code customize} applied, for a provider's own tweaks such as decompression) and {@link
   * TransportOptions#toPoolOptions()}.
   */
  public static HttpClient createClient(
      Vertx vertx,
      TransportOptions<?> options,
      java.util.function.Consumer<HttpClientOptions> customize) {
    HttpClientOptions http = options.toHttpClientOptions();
    if (customize != null) {
      customize.accept(http);
    }
    return createClient(vertx, http, options.toPoolOptions());
  }

  /** The transport of these options over {@code client}, with all their size limits. */
  public static HttpTransport create(
      Vertx vertx,
      HttpClient client,
      TransportOptions<?> options,
      Supplier<MultiMap> headers,
      HttpErrorMapper errors) {
    return new HttpTransport(
        vertx,
        client,
        options.getName(),
        options.getBaseUrl(),
        headers,
        errors,
        options.getMaxLineSize(),
        options.getMaxBodySize(),
        options.getMaxBufferedBytes(),
        options.getMaxResultSize());
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
    LineStream<T, R> stream =
        new LineStream<>(this, call, decoder, aggregator, maxLineSize, maxResultSize);
    stream.start();
    return stream;
  }

  /**
   * Sends the call and hands the reply's NDJSON body on as the bytes that arrived, cut at line
   * ends, for a caller that relays it to a client of the same API. The decoder sees only the lines
   * that are not plain chunks (the final line, error lines, anything odd); the line that completes
   * it is the result. The request starts now; the bytes wait, with the socket paused, until the
   * returned stream gets a handler.
   */
  public <R> ResponseStream<Buffer, R> wireStream(HttpCall call, LineDecoder<R> decoder) {
    WireStream<R> stream = new WireStream<>(this, call, decoder, maxLineSize);
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
      call.protocolHeaders()
          .names()
          .forEach(name -> all.set(name, call.protocolHeaders().getAll(name)));
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
    return live.size();
  }

  void exchangeStarted(Exchange exchange) {
    live.add(exchange);
  }

  void exchangeEnded(Exchange exchange) {
    live.remove(exchange);
  }

  /**
   * Bytes the streams of this transport hold now: lines being framed and lines folded into results
   * not yet delivered. 0 when no stream is in flight.
   */
  public long bufferedBytes() {
    return bufferedBytes.get();
  }

  /**
   * Timers (first-byte, idle, total) of this transport's exchanges that have neither fired nor been
   * cancelled. 0 when no exchange is in flight: an ended exchange leaves nothing scheduled.
   */
  public int liveTimers() {
    return liveTimers.get();
  }

  void timerStarted() {
    liveTimers.incrementAndGet();
  }

  void timerEnded() {
    liveTimers.decrementAndGet();
  }

  long maxBufferedBytes() {
    return maxBufferedBytes;
  }

  /** Changes what a stream holds by {@code delta}; false if growing would pass the budget. */
  boolean reserve(long delta) {
    long total = bufferedBytes.addAndGet(delta);
    if (delta > 0 && total > maxBufferedBytes) {
      bufferedBytes.addAndGet(-delta);
      return false;
    }
    return true;
  }

  boolean closed() {
    return closed;
  }

  /** What every exchange of a closed transport fails with. */
  CancelledException closedError(ErrorContext context) {
    return new CancelledException(
        "Cancelled: the client was closed ("
            + providerName
            + " at "
            + baseUrl()
            + "); create a new client to send more requests",
        context);
  }

  /**
   * Closes the transport and its HTTP client. Every exchange in flight, streams included (also one
   * still waiting for a connection), fails first with a {@link CancelledException} saying the
   * client was closed, and so does every later call.
   */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> cancelled = new ArrayList<>();
    for (Exchange exchange : live) {
      cancelled.add(exchange.clientClosed());
    }
    // Cancel first, then close: connections torn down by the client would report a cut instead.
    return Future.join(cancelled).transform(ar -> client.close());
  }

  /** The base URL as configured, for messages. */
  public String baseUrl() {
    return baseUri.toString();
  }
}
