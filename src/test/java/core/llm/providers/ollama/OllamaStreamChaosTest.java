package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CancelledException;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorKind;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import core.llm.factory.BuiltInProviders;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderContext;
import core.llm.factory.ProviderCreator;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.spi.HttpTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of streams against a hostile server: every fault a real server or network produces,
 * random cancels, handlers set in every order from any thread, and consumers that use {@code
 * fetch(n)}. Every stream must end exactly once, in bounded time, with the typed error its fault
 * calls for; afterwards the client holds no exchange, timer, buffered byte or stray connection.
 *
 * <p>Deterministic in what it asks (one seed picks every fault, chunk count, handler order and
 * cancel); the interleavings are whatever the machine gives, which is the point. Loopback only,
 * bounded in count and time.
 */
@Timeout(180)
class OllamaStreamChaosTest {
  private static final long SEED = 0x11_2026_12_02L;
  private static final int STREAMS_PER_SERVER = 1500;
  private static final int ROUTED_STREAMS = 1000;
  private static final int IN_FLIGHT = 48;

  /**
   * Connections of the first run's client: more than the streams in flight, so replies come back at
   * once and land between the consumer's setters. The second run's client has fewer, so streams
   * also wait for a connection (and are cancelled while they wait).
   */
  private static final int WIDE_POOL = 64;

  private static final int NARROW_POOL = 16;
  private static final int MAX_LINE = 4096;

  /** Limits a healthy reply never reaches, even on a loaded 2-core machine; stalls last longer. */
  private static final Duration FIRST_BYTE = Duration.ofMillis(1500);

  private static final Duration IDLE = Duration.ofMillis(1500);

  /** No stream may take longer than this from creation to its result, whatever happens. */
  private static final long BOUND_MS = 20_000;

  /** What the server does to one request. */
  enum Fault {
    NONE,
    SLOW_HEAD,
    CUT_BEFORE_HEAD,
    CUT_AFTER_HEAD,
    CUT_MID_STREAM,
    GARBAGE_LINE,
    ERROR_LINE,
    STALL_BEFORE_HEAD,
    STALL_MID_STREAM,
    SERVER_ERROR,
    RATE_LIMITED,
    OVERLOADED,
    TRUNCATED_LAST_LINE,
    NO_DONE_LINE,
    OVERLONG_LINE;

    /** The error this fault must produce (null: the stream succeeds). */
    Class<? extends LlmException> expected() {
      return switch (this) {
        case NONE, SLOW_HEAD -> null;
        case CUT_BEFORE_HEAD -> ConnectionException.class;
        case CUT_AFTER_HEAD, CUT_MID_STREAM, TRUNCATED_LAST_LINE, NO_DONE_LINE ->
            IncompleteStreamException.class;
        case GARBAGE_LINE, OVERLONG_LINE -> InvalidResponseException.class;
        case ERROR_LINE -> StreamErrorException.class;
        case STALL_BEFORE_HEAD, STALL_MID_STREAM -> LlmTimeoutException.class;
        case SERVER_ERROR -> ServerErrorException.class;
        case RATE_LIMITED -> RateLimitedException.class;
        case OVERLOADED -> OverloadedException.class;
      };
    }

    /** Whether the fault happens before any chunk, whatever the chunk count. */
    boolean beforeAnyChunk() {
      return switch (this) {
        case CUT_BEFORE_HEAD,
            CUT_AFTER_HEAD,
            STALL_BEFORE_HEAD,
            SERVER_ERROR,
            RATE_LIMITED,
            OVERLOADED ->
            true;
        default -> false;
      };
    }
  }

  /** How the consumer reads the stream. */
  enum Reading {
    /** handler, exceptionHandler and endHandler in one of the six orders. */
    HANDLERS,
    /** pause, then handlers, then fetch(n) each time the n chunks arrived. */
    FETCH,
    /** result() only: the stream feeds the result by itself. */
    RESULT_ONLY
  }

  /** When the consumer cancels. */
  enum Cancel {
    NEVER,
    AT_ONCE,
    AFTER_CHUNKS,
    AFTER_DELAY
  }

  /** Everything the seed decided about one stream. */
  record Case(
      int id,
      Fault fault,
      int chunks,
      Reading reading,
      int order,
      int gapMicros,
      boolean onContext,
      int fetchBatch,
      Cancel cancel,
      int cancelAfter) {

    static Case random(int id, Random r) {
      Fault fault = Fault.values()[r.nextInt(Fault.values().length)];
      Reading reading = Reading.values()[r.nextInt(Reading.values().length)];
      Cancel cancel =
          r.nextInt(10) < 6
              ? Cancel.NEVER
              : Cancel.values()[1 + r.nextInt(Cancel.values().length - 1)];
      if (cancel == Cancel.AFTER_CHUNKS && reading == Reading.RESULT_ONLY) {
        cancel = Cancel.AFTER_DELAY;
      }
      boolean onContext = r.nextInt(3) == 0;
      // Gaps between the setters: none, a few microseconds (a context hop), or, on an
      // application thread, long enough that the reply (or its failure) lands in the middle.
      int gap =
          switch (r.nextInt(4)) {
            case 0, 1 -> 0;
            case 2 -> r.nextInt(onContext ? 200 : 2_000);
            default -> onContext ? r.nextInt(200) : 2_000 + r.nextInt(13_000);
          };
      return new Case(
          id,
          fault,
          r.nextInt(6),
          reading,
          r.nextInt(6),
          gap,
          onContext,
          1 + r.nextInt(3),
          cancel,
          cancel == Cancel.AFTER_DELAY ? r.nextInt(40) : r.nextInt(4));
    }

    /** Chunks this fault lets through before it strikes. */
    int chunksBeforeFault() {
      return fault.beforeAnyChunk() ? 0 : chunks;
    }
  }

  /** What one stream did, as its consumer saw it. */
  static final class Outcome {
    final Case c;
    final long startNanos = System.nanoTime();
    final AtomicInteger chunks = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicInteger exceptions = new AtomicInteger();
    final AtomicLong demanded = new AtomicLong();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final StringBuffer text = new StringBuffer();
    volatile boolean terminal;
    volatile boolean cancelReturned;
    volatile boolean cancelCalled;
    volatile Throwable exception;
    volatile Throwable failure;
    volatile String resultText = "";
    volatile long settledNanos;
    final CountDownLatch settled = new CountDownLatch(1);

    Outcome(Case c) {
      this.c = c;
    }

    void violation(String what) {
      violations.add("case " + c + ": " + what);
    }
  }

  private Vertx vertx;
  private FakeOllamaServer finServer;
  private FakeOllamaServer rstServer;
  private FakeOllamaServer steadyServer;
  private final Map<Integer, Case> cases = new java.util.concurrent.ConcurrentHashMap<>();
  @TempDir Path dir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    finServer = chaosServer(new HttpServerOptions());
    // SO_LINGER 0: every cut of this server is a TCP reset, as from a crashed or killed server.
    rstServer = chaosServer(new HttpServerOptions().setSoLinger(0));
    steadyServer = FakeOllamaServer.start(vertx).await();
    steadyServer.addModel(
        FakeModel.named("chaos").capabilities("completion").reply("steady reply"));
  }

  @AfterEach
  void stop() {
    finServer.close().await();
    rstServer.close().await();
    steadyServer.close().await();
    vertx.close().await();
  }

  private FakeOllamaServer chaosServer(HttpServerOptions options) {
    FakeOllamaServer server = FakeOllamaServer.start(vertx, options).await();
    server.scriptBy("/api/chat", this::scriptFor);
    return server;
  }

  /** The server's side of a case, picked by the id the request carries. */
  private Script scriptFor(RecordedRequest request) {
    String content = request.json().getJsonArray("messages").getJsonObject(0).getString("content");
    Case c = cases.get(Integer.parseInt(content.substring("case-".length())));
    Script s = Script.create();
    switch (c.fault()) {
      case CUT_BEFORE_HEAD -> {
        return s.cut();
      }
      case CUT_AFTER_HEAD -> {
        return s.head().delay(2).cut();
      }
      case STALL_BEFORE_HEAD -> {
        return s.delayHeaders(5_000).line(Chunks.chatChunk("late")).end();
      }
      case SERVER_ERROR -> {
        return Script.jsonError(500, "llama runner process has terminated: exit status 2");
      }
      case RATE_LIMITED -> {
        return s.status(429)
            .header("Retry-After", "1")
            .header("Content-Type", "application/json; charset=utf-8")
            .raw("{\"error\":\"too many requests\"}")
            .end();
      }
      case OVERLOADED -> {
        return s.status(503)
            .header("Retry-After", "1")
            .header("Content-Type", "application/json; charset=utf-8")
            .raw(
                "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}")
            .end();
      }
      case SLOW_HEAD -> s.delayHeaders(20 + c.id() % 60);
      case NONE -> {}
      // the head goes out first, so even with no chunk the fault strikes inside a 200 reply
      default -> s.head();
    }
    for (int i = 0; i < c.chunks(); i++) {
      s.line(Chunks.chatChunk("t" + i + " "));
      if (i % 2 == 1) {
        s.delay(1);
      }
    }
    return switch (c.fault()) {
      case NONE, SLOW_HEAD -> s.line(Chunks.chatFinal("", "stop", Chunks.metrics())).end();
      case CUT_MID_STREAM -> s.delay(1).cut();
      case GARBAGE_LINE ->
          s.raw("<html>502 Bad Gateway</html>\n").line(Chunks.chatChunk("x")).end();
      case ERROR_LINE ->
          s.line(Chunks.errorLine("an error was encountered while running the model")).end();
      case STALL_MID_STREAM ->
          s.delay(5_000).line(Chunks.chatFinal("", "stop", Chunks.metrics())).end();
      case TRUNCATED_LAST_LINE -> s.raw("{\"model\":\"chaos\",\"created_at\":\"2026-").end();
      case NO_DONE_LINE -> s.end();
      case OVERLONG_LINE -> s.line(Chunks.chatChunk("y".repeat(MAX_LINE * 2))).end();
      default -> throw new IllegalStateException(c.fault().name());
    };
  }

  private List<Case> newCases(int first, int count, Random random) {
    List<Case> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Case c = Case.random(first + i, random);
      cases.put(c.id(), c);
      list.add(c);
    }
    return list;
  }

  private OllamaClientImpl client(FakeOllamaServer server, int pool) {
    return (OllamaClientImpl)
        OllamaClient.create(
            vertx,
            new OllamaClientOptions()
                .setBaseUrl(server.baseUrl())
                .setFirstByteTimeout(FIRST_BYTE)
                .setIdleTimeout(IDLE)
                .setMaxLineSize(MAX_LINE)
                .setMaxPoolSize(pool));
  }

  private static ChatRequest request(Case c) {
    return ChatRequest.builder("chaos").message(Message.user("case-" + c.id())).build();
  }

  @Test
  void everyStreamEndsOnceWithItsTypedErrorAndNothingIsLeftBehind() throws Exception {
    Random random = new Random(SEED);
    int next = 0;
    for (FakeOllamaServer server : List.of(finServer, rstServer)) {
      int pool = server == finServer ? WIDE_POOL : NARROW_POOL;
      OllamaClientImpl client = client(server, pool);
      warmUp(c -> client.chatStream(request(c)));
      List<Case> batch = newCases(next, STREAMS_PER_SERVER, random);
      next += STREAMS_PER_SERVER;
      List<Outcome> outcomes = run(batch, c -> client.chatStream(request(c)));
      for (Outcome o : outcomes) {
        checkDirect(o);
      }
      report(server == finServer ? "FIN" : "RST", outcomes);
      assertNoViolations(outcomes);
      HttpTransport transport = client.transport();
      awaitZero("exchanges in flight", transport::inFlight);
      awaitZero("live timers", transport::liveTimers);
      awaitZero("buffered bytes", () -> (int) transport.bufferedBytes());
      assertTrue(
          server.openConnections() <= pool,
          server.openConnections() + " connections open, more than the pool of " + pool);

      // The client is not poisoned: a clean request still answers.
      Case clean = cleanCase(next++);
      assertEquals(
          "t0 t1 ", client.chatStream(request(clean)).result().await().message().content());

      client.close().await();
      server.awaitOpenConnections(0).await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The same faults through the relayed stream ({@code chatStreamWire}), which hands on the
   * server's bytes: the same flow control, handler orders and cancels, and every whole line the
   * server sent before its fault, none after (a garbage, error or truncated line is never passed
   * on).
   */
  @Test
  void theRelayedStreamEndsOnceWithItsTypedErrorAndPassesOnOnlyWholeGoodLines() throws Exception {
    OllamaClientImpl client = client(finServer, WIDE_POOL);
    warmUp(c -> client.chatStreamWire(request(c)));
    List<Case> batch = newCases(20 * STREAMS_PER_SERVER, STREAMS_PER_SERVER, new Random(SEED + 2));
    List<Outcome> outcomes = run(batch, c -> client.chatStreamWire(request(c)));
    for (Outcome o : outcomes) {
      checkRelayed(o);
    }
    report("relayed", outcomes);
    assertNoViolations(outcomes);
    HttpTransport transport = client.transport();
    awaitZero("exchanges in flight", transport::inFlight);
    awaitZero("live timers", transport::liveTimers);
    awaitZero("buffered bytes", () -> (int) transport.bufferedBytes());
    client.close().await();
    finServer.awaitOpenConnections(0).await(10, TimeUnit.SECONDS);
  }

  private final AtomicInteger warmUpIds = new AtomicInteger(1_000_000);

  /**
   * Clean requests first, so the first chaos streams do not pay for class loading and a cold JIT
   * (on a loaded 2-core machine that alone can pass a limit).
   */
  private void warmUp(Function<Case, ResponseStream<?, ?>> open) {
    for (int i = 0; i < 200; i++) {
      open.apply(cleanCase(warmUpIds.getAndIncrement())).result().await();
    }
  }

  private Case cleanCase(int id) {
    Case clean = new Case(id, Fault.NONE, 2, Reading.RESULT_ONLY, 0, 0, false, 1, Cancel.NEVER, 0);
    cases.put(id, clean);
    return clean;
  }

  /**
   * The same faults behind the router: "flaky" (the chaos server) is tried first, "steady" (a
   * healthy server) is the fallback. A failure before the first chunk reached the consumer and that
   * another provider may not repeat is served by the fallback; after a chunk, the error surfaces; a
   * consumer never sees chunks of two providers.
   */
  @Test
  void theRouterFailsOverEveryFailureBeforeTheFirstChunkAndNeverMixesProviders() throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        providers:
          - name: flaky
            type: ollama
            baseUrl: %s
            models: [chaos]
            timeouts: { firstByte: 1500ms, idle: 1500ms }
          - name: steady
            type: ollama
            baseUrl: %s
        fallback: [flaky, steady]
        routing: { maxAttempts: 2, initialBackoff: 10ms, maxBackoff: 100ms, breakerFailureThreshold: 1000000 }
        """
            .formatted(finServer.baseUrl(), steadyServer.baseUrl()));
    ProviderConfigManager config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    // The built-in ollama creator, keeping what it made so the test can read each transport.
    Map<String, OllamaProvider> made = new java.util.concurrent.ConcurrentHashMap<>();
    ProviderCreator ollama = BuiltInProviders.creators().get("ollama");
    ProviderCreator keeping =
        new ProviderCreator() {
          @Override
          public String type() {
            return "ollama";
          }

          @Override
          public LlmProvider create(ProviderContext ctx) {
            OllamaProvider p = (OllamaProvider) ollama.create(ctx);
            made.put(p.name(), p);
            return p;
          }
        };
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, config).creators(Map.of("ollama", keeping)).build();
    try {
      Random random = new Random(SEED + 1);
      List<Case> batch =
          newCases(10 * STREAMS_PER_SERVER, ROUTED_STREAMS, random).stream()
              // the routed provider keeps the default 8 MiB line limit
              .filter(c -> c.fault() != Fault.OVERLONG_LINE)
              .toList();
      warmUp(
          c ->
              factory
                  .router()
                  .chatStream(CompletionRequest.builder("chaos").user("case-" + c.id()).build()));
      List<Outcome> outcomes =
          run(
              batch,
              c ->
                  factory
                      .router()
                      .chatStream(
                          CompletionRequest.builder("chaos").user("case-" + c.id()).build()));
      for (Outcome o : outcomes) {
        checkRouted(o);
      }
      report("routed", outcomes);
      assertNoViolations(outcomes);
      for (String name : List.of("flaky", "steady")) {
        HttpTransport transport = ((OllamaClientImpl) made.get(name).client()).transport();
        awaitZero(name + " exchanges in flight", transport::inFlight);
        awaitZero(name + " live timers", transport::liveTimers);
        awaitZero(name + " buffered bytes", () -> (int) transport.bufferedBytes());
      }
    } finally {
      factory.close().await();
      config.stop();
    }
    finServer.awaitOpenConnections(0).await(10, TimeUnit.SECONDS);
    steadyServer.awaitOpenConnections(0).await(10, TimeUnit.SECONDS);
  }

  // ---- driving the streams ----

  private <T, R> List<Outcome> run(List<Case> batch, Function<Case, ResponseStream<T, R>> open)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Case c : batch) {
      if (!slots.tryAcquire(BOUND_MS, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("streams never settled (hang): " + unsettled(outcomes));
      }
      Outcome o = new Outcome(c);
      outcomes.add(o);
      Runnable launch = () -> consume(o, open.apply(c), slots);
      if (c.onContext()) {
        vertx.getOrCreateContext().runOnContext(v -> launch.run());
      } else {
        APPLICATION.execute(launch);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
    for (Outcome o : outcomes) {
      long left = deadline - System.nanoTime();
      if (!o.settled.await(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(
            "stream never settled (hang): "
                + o.c
                + " chunks="
                + o.chunks
                + " ends="
                + o.ends
                + " exceptions="
                + o.exceptions);
      }
    }
    return outcomes;
  }

  /**
   * Reads one stream as its case says. {@code result()} is asked last: asked before any handler, it
   * would consume the stream itself (as its contract says).
   */
  private static String unsettled(List<Outcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o.settled.getCount() > 0)
        .limit(10)
        .map(o -> o.c + " chunks=" + o.chunks + " ends=" + o.ends + " exceptions=" + o.exceptions)
        .toList()
        .toString();
  }

  private static <T, R> void consume(Outcome o, ResponseStream<T, R> stream, Semaphore slots) {
    Case c = o.c;
    if (c.cancel() == Cancel.AT_ONCE) {
      cancel(o, stream);
    }
    if (c.reading() == Reading.RESULT_ONLY) {
      awaitResult(o, stream, slots);
      if (c.cancel() == Cancel.AFTER_DELAY) {
        cancelLater(
            o, stream, Vertx.currentContext() == null ? null : Vertx.currentContext().owner());
      }
      return;
    }
    if (c.reading() == Reading.FETCH) {
      stream.pause();
    }
    Runnable[] setters = {
      () ->
          stream.handler(
              chunk -> {
                if (o.terminal) {
                  o.violation("a chunk after the terminal signal");
                }
                if (o.cancelReturned) {
                  o.violation("a chunk after cancel() completed");
                }
                int n = o.chunks.incrementAndGet();
                o.text.append(text(chunk));
                if (c.reading() == Reading.FETCH) {
                  if (n > o.demanded.get()) {
                    o.violation("chunk " + n + " arrived with only " + o.demanded + " fetched");
                  }
                  if (n == o.demanded.get()) {
                    o.demanded.addAndGet(c.fetchBatch());
                    stream.fetch(c.fetchBatch());
                  }
                }
                if (c.cancel() == Cancel.AFTER_CHUNKS && n == c.cancelAfter()) {
                  cancel(o, stream);
                }
              }),
      () ->
          stream.exceptionHandler(
              t -> {
                if (o.exceptions.incrementAndGet() + o.ends.get() > 1) {
                  o.violation("a second terminal signal (exception " + t + ")");
                }
                o.exception = t;
                o.terminal = true;
              }),
      () ->
          stream.endHandler(
              v -> {
                if (o.ends.incrementAndGet() + o.exceptions.get() > 1) {
                  o.violation("a second terminal signal (end)");
                }
                o.terminal = true;
              })
    };
    for (int i : ORDERS[c.order()]) {
      setters[i].run();
      if (c.gapMicros() > 0) {
        LockSupport.parkNanos(c.gapMicros() * 1000L);
      }
    }
    if (c.reading() == Reading.FETCH) {
      o.demanded.addAndGet(c.fetchBatch());
      stream.fetch(c.fetchBatch());
    }
    awaitResult(o, stream, slots);
    if (c.cancel() == Cancel.AFTER_DELAY) {
      cancelLater(
          o, stream, Vertx.currentContext() == null ? null : Vertx.currentContext().owner());
    }
  }

  private static void awaitResult(Outcome o, ResponseStream<?, ?> stream, Semaphore slots) {
    stream
        .result()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                o.failure = ar.cause();
              } else {
                o.resultText = text(ar.result());
              }
              o.settledNanos = System.nanoTime();
              o.settled.countDown();
              slots.release();
            });
  }

  /** Threads of "the application": they open streams and set handlers, outside Vert.x. */
  private static final java.util.concurrent.ExecutorService APPLICATION =
      java.util.concurrent.Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "chaos-application");
            t.setDaemon(true);
            return t;
          });

  /** Cancels from a thread that is not Vert.x's, as an application's own thread would. */
  private static final java.util.concurrent.ScheduledExecutorService CANCELLER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chaos-canceller");
            t.setDaemon(true);
            return t;
          });

  private static final int[][] ORDERS = {
    {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}
  };

  private static String text(Object chunk) {
    if (chunk instanceof io.vertx.core.buffer.Buffer b) {
      return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (chunk instanceof ChatResponse r) {
      return r.message() == null || r.message().content() == null ? "" : r.message().content();
    }
    if (chunk instanceof CompletionDelta d) {
      return d.content() == null ? "" : d.content();
    }
    if (chunk instanceof CompletionResult r) {
      return r.content() == null ? "" : r.content();
    }
    return "";
  }

  private static void cancel(Outcome o, ResponseStream<?, ?> stream) {
    o.cancelCalled = true;
    stream.cancel().onComplete(ar -> o.cancelReturned = true);
  }

  private static void cancelLater(Outcome o, ResponseStream<?, ?> stream, Vertx onVertx) {
    long ms = Math.max(1, o.c.cancelAfter());
    if (onVertx != null) {
      onVertx.setTimer(ms, id -> cancel(o, stream));
    } else {
      CANCELLER.schedule(() -> cancel(o, stream), ms, TimeUnit.MILLISECONDS);
    }
  }

  // ---- checking ----

  /** Checks every stream sees no matter how it was routed. */
  private static void checkCommon(Outcome o) {
    long ms = TimeUnit.NANOSECONDS.toMillis(o.settledNanos - o.startNanos);
    if (ms > BOUND_MS) {
      o.violation("settled after " + ms + " ms");
    }
    if (o.failure != null && !(o.failure instanceof LlmException)) {
      o.violation("untyped failure " + o.failure);
    }
    if (o.failure instanceof LlmException e && e.kind() == ErrorKind.INTERNAL) {
      o.violation("a bug of the library: " + e);
    }
    if (o.c.reading() == Reading.RESULT_ONLY) {
      return;
    }
    int terminals = o.ends.get() + o.exceptions.get();
    if (terminals > 1) {
      o.violation(terminals + " terminal signals");
    }
    if (!o.cancelCalled && terminals != 1) {
      o.violation("no terminal signal although never cancelled");
    }
    if (o.ends.get() == 1 && o.failure != null) {
      o.violation("ended, but the result failed with " + o.failure);
    }
    if (o.exceptions.get() == 1 && o.failure != o.exception) {
      o.violation(
          "the exception handler got " + o.exception + " but the result failed with " + o.failure);
    }
  }

  private static void checkDirect(Outcome o) {
    checkCommon(o);
    Case c = o.c;
    Class<? extends LlmException> expected = c.fault().expected();
    if (o.failure instanceof CancelledException && o.cancelCalled) {
      return; // cancelled before the fault (or the end) was seen
    }
    if (expected == null) {
      if (o.failure != null) {
        o.violation("expected success, got " + o.failure);
      } else if (c.reading() != Reading.RESULT_ONLY && o.chunks.get() != c.chunks() + 1) {
        o.violation("expected " + (c.chunks() + 1) + " chunks, got " + o.chunks);
      }
      return;
    }
    if (!expected.isInstance(o.failure)) {
      o.violation("expected " + expected.getSimpleName() + ", got " + o.failure);
      return;
    }
    if (c.reading() != Reading.RESULT_ONLY && o.chunks.get() > c.chunksBeforeFault()) {
      o.violation("got " + o.chunks + " chunks, the server sent " + c.chunksBeforeFault());
    }
    if (o.failure instanceof LlmTimeoutException t) {
      LlmTimeoutException.Phase phase =
          c.fault() == Fault.STALL_BEFORE_HEAD
              ? LlmTimeoutException.Phase.FIRST_BYTE
              : LlmTimeoutException.Phase.IDLE;
      if (t.phase() != phase) {
        o.violation("expected a " + phase + " timeout, got " + t.phase());
      }
    }
  }

  /** A relayed stream's pieces are whole lines: what matters is how many lines got through. */
  private static void checkRelayed(Outcome o) {
    checkCommon(o);
    Case c = o.c;
    String text = o.text.toString();
    long lines = text.chars().filter(ch -> ch == '\n').count();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      o.violation("a piece ended inside a line: " + text);
    }
    if (text.contains("<html>") || text.contains("\"error\"")) {
      o.violation("a garbage or error line was passed on: " + text);
    }
    if (o.failure instanceof CancelledException && o.cancelCalled) {
      return;
    }
    Class<? extends LlmException> expected = c.fault().expected();
    if (expected == null) {
      if (o.failure != null) {
        o.violation("expected success, got " + o.failure);
      } else if (c.reading() != Reading.RESULT_ONLY && lines != c.chunks() + 1) {
        o.violation("expected " + (c.chunks() + 1) + " lines, got " + lines);
      }
      return;
    }
    if (!expected.isInstance(o.failure)) {
      o.violation("expected " + expected.getSimpleName() + ", got " + o.failure);
      return;
    }
    if (lines > c.chunksBeforeFault()) {
      o.violation("got " + lines + " lines, the server sent " + c.chunksBeforeFault() + " good");
    }
  }

  private static void checkRouted(Outcome o) {
    checkCommon(o);
    Case c = o.c;
    if (o.failure instanceof CancelledException && o.cancelCalled) {
      return;
    }
    String text = o.text.toString();
    boolean fromSteady = o.failure == null && o.resultText.contains("steady");
    if (text.contains("steady") && text.contains("t0")) {
      o.violation("chunks of both providers reached the consumer: " + text);
    }
    Class<? extends LlmException> expected = c.fault().expected();
    boolean failsOverBeforeAnyChunk =
        expected != null
            && c.chunksBeforeFault() == 0
            && (retryable(expected) || expected == IncompleteStreamException.class);
    if (expected == null) {
      if (o.failure != null) {
        o.violation("expected success, got " + o.failure);
      } else if (fromSteady) {
        o.violation("a healthy reply of the first provider was replaced by the fallback");
      }
    } else if (failsOverBeforeAnyChunk) {
      if (!fromSteady) {
        o.violation("a failure before the first chunk was not failed over: " + o.failure);
      }
    } else if (fromSteady) {
      // Allowed only when the consumer had seen nothing of the first provider.
      if (text.contains("t0")) {
        o.violation("failed over after a chunk reached the consumer");
      }
    } else if (!expected.isInstance(o.failure) && !wrapped(expected, o.failure)) {
      o.violation("expected " + expected.getSimpleName() + ", got " + o.failure);
    }
  }

  /** After the first token the router wraps what is not already a stream error (see Errors). */
  private static boolean wrapped(Class<? extends LlmException> expected, Throwable failure) {
    return failure instanceof StreamErrorException s && expected.isInstance(s.getCause());
  }

  private static boolean retryable(Class<? extends LlmException> type) {
    return type == ConnectionException.class
        || type == LlmTimeoutException.class
        || type == ServerErrorException.class
        || type == RateLimitedException.class
        || type == OverloadedException.class;
  }

  private static void assertNoViolations(List<Outcome> outcomes) {
    List<String> all = new ArrayList<>();
    outcomes.forEach(o -> all.addAll(o.violations));
    if (!all.isEmpty()) {
      throw new AssertionError(
          all.size()
              + " violations, the first ones:\n"
              + String.join("\n", all.subList(0, Math.min(20, all.size()))));
    }
  }

  /** One line per run: how many streams ended which way, so a reader sees what was exercised. */
  private static void report(String label, List<Outcome> outcomes) {
    Map<String, Integer> ways = new TreeMap<>();
    Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    long maxMs = 0;
    for (Outcome o : outcomes) {
      String way = o.failure == null ? "success" : o.failure.getClass().getSimpleName();
      ways.merge(way, 1, Integer::sum);
      faults.merge(o.c.fault(), 1, Integer::sum);
      maxMs = Math.max(maxMs, TimeUnit.NANOSECONDS.toMillis(o.settledNanos - o.startNanos));
    }
    System.out.println(
        "chaos " + label + ": " + outcomes.size() + " streams, slowest " + maxMs + " ms, " + ways);
  }

  private static void awaitZero(String what, IntSupplier value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (value.getAsInt() != 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " stayed at " + value.getAsInt());
      }
      Thread.sleep(5);
    }
  }
}
