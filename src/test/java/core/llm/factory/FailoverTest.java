package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.BadRequestException;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
@Timeout(20)
class FailoverTest {
  static final String YAML =
      """
      defaultProvider: p
      providers:
        - { name: p, type: fake, models: [m] }
        - { name: s, type: fake, models: [m] }
        - { name: solo, type: fake, models: [only] }
      # p is mapped, so it stays the first candidate however it fares (placement ranks only
      # providers of equal rank, and would put a failing p behind s)
      modelMapping: { m: p }
      routing: { maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s, breakerFailureThreshold: 3, breakerCooldown: 30s }
      """;

  @TempDir Path dir;
  Harness h;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    h = new Harness(vertx, dir, YAML);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  static ErrorContext ctx(int status) {
    return new ErrorContext("p", "POST /chat", status, "server text", null);
  }

  static Stream<LlmException> retryable() {
    return Stream.of(
        new ConnectionException("refused", ctx(0)),
        new LlmTimeoutException(
            "first byte", LlmTimeoutException.Phase.FIRST_BYTE, Duration.ofSeconds(1), ctx(0)),
        new RateLimitedException("slow down", ctx(429).withRetryAfter(Duration.ofSeconds(7))),
        new ServerErrorException("boom", ctx(500)),
        new OverloadedException("busy", ctx(503)));
  }

  @ParameterizedTest
  @MethodSource("retryable")
  void unaryFailsOverImmediatelyOnRetryableErrors(LlmException e) {
    h.fakes.script("p", Script.fail(e));
    CompletionResult r = h.factory.router().chat(Harness.req("m")).await();
    assertEquals("s", r.provider());
    assertEquals(1, h.fakes.calls("p"));
    assertEquals(1, h.fakes.calls("s"));
    assertEquals(List.of(), h.clock.sleeps, "no waiting while another provider can serve");
    RoutingEvent ev = h.events.get(0);
    assertEquals(RoutingEvent.Type.FAILOVER, ev.type());
    assertEquals("p", ev.provider());
    assertEquals(e.kind(), ev.kind());
    assertEquals(e.status(), ev.status());
  }

  @Test
  void aRequestInFlightWhenTheFactoryClosesEndsWithATypedError() {
    // It fails retryably after close(): looking for the next candidate used to throw a plain
    // IllegalStateException into the event loop, and the caller never heard back.
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    h.fakes.script("p", Script.fail(new ConnectionException("refused", ctx(0))).heldBy(gate));
    io.vertx.core.Future<CompletionResult> unary = h.factory.router().chat(Harness.req("m"));
    h.fakes.awaitCalls("p", 1);
    h.factory.close();
    gate.complete();
    Throwable t = assertThrows(Exception.class, unary::await);
    LlmException e = assertInstanceOf(LlmException.class, t);
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(e.getMessage().contains("factory was closed"), e.getMessage());
  }

  @Test
  void aRoutedStreamInFlightWhenTheFactoryClosesEndsWithATypedError() throws Exception {
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    h.fakes.script("p", Script.fail(new ConnectionException("refused", ctx(0))).heldBy(gate));
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
    st.exceptionHandler(
        x -> {
          errors.add(x);
          failed.countDown();
        });
    st.handler(d -> {});
    h.fakes.awaitCalls("p", 1);
    h.factory.close();
    gate.complete();
    assertTrue(
        failed.await(10, java.util.concurrent.TimeUnit.SECONDS), "the stream got its failure");
    assertEquals(ErrorKind.CANCELLED, assertInstanceOf(LlmException.class, errors.get(0)).kind());
  }

  @Test
  void aRequestAfterCloseFailsWithATypedError() {
    h.factory.close();
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("m")).await());
    assertEquals(ErrorKind.CANCELLED, assertInstanceOf(LlmException.class, t).kind());
    Throwable s =
        assertThrows(
            Exception.class,
            () -> h.factory.router().chatStream(Harness.req("m")).result().await());
    assertEquals(ErrorKind.CANCELLED, assertInstanceOf(LlmException.class, s).kind());
  }

  @Test
  void aStreamCutBeforeItsFirstTokenFailsOver() {
    // 200 head, then the connection closed before any chunk: nothing was committed.
    h.fakes
        .script(
            "p",
            Script.fail(new core.llm.common.IncompleteStreamException("cut", List.of(), ctx(200))))
        .script("s", Script.ok("he", "llo"));
    List<String> got = new CopyOnWriteArrayList<>();
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.handler(d -> got.add(d.content()));
    assertEquals("hello", st.result().await().content());
    assertEquals(List.of("he", "llo"), got);
    assertEquals(1, h.fakes.calls("s"));
  }

  @Test
  void aUnaryCallWhoseStreamWasCutMidBodyFailsOver() {
    // OllamaProvider.chat folds a stream: a cut mid-body reached nobody, so another provider may
    // answer.
    h.fakes.script(
        "p",
        Script.fail(
            new core.llm.common.IncompleteStreamException("cut mid-body", List.of("x"), ctx(200))));
    assertEquals("s", h.factory.router().chat(Harness.req("m")).await().provider());
  }

  @Test
  void anUnexpectedExceptionIsABugNotARetryableFailure() {
    LlmException e = Errors.classify(new NullPointerException("x was null"), "p");
    assertEquals(ErrorKind.INTERNAL, e.kind());
    assertTrue(!e.retryable() && !Errors.retryableBeforeCommit(e));
    assertTrue(e.getMessage().contains("bug"), e.getMessage());
    assertTrue(e.getCause() instanceof NullPointerException);
  }

  @Test
  void theFallbackGetsTheDemandTheConsumerGaveTheFailedProvider() throws Exception {
    // A consumer using flow control: pause, then one fetch(1) per token. Before, the demand went to
    // the failed provider's stream and the fallback, paused, never sent a chunk: a hang.
    // The first provider fails only once the consumer has paused and fetched (held by a gate).
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    h.fakes
        .script("p", Script.fail(new ConnectionException("refused", ctx(0))).heldBy(gate))
        .script("s", Script.ok("a", "b", "c"));
    List<String> got = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.pause();
    st.handler(
        d -> {
          got.add(d.content());
          st.fetch(1);
        });
    st.endHandler(v -> ended.countDown());
    st.fetch(1);
    gate.complete();
    assertTrue(ended.await(10, java.util.concurrent.TimeUnit.SECONDS), "ended; got " + got);
    assertEquals(List.of("a", "b", "c"), got);
    assertEquals("abc", st.result().await().content());
  }

  @Test
  void aPausedRoutedStreamSendsNothingUntilFetched() throws Exception {
    h.fakes
        .script("p", Script.fail(new ConnectionException("refused", ctx(0))))
        .script("s", Script.ok("a", "b", "c"));
    List<String> got = new CopyOnWriteArrayList<>();
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.pause();
    st.handler(d -> got.add(d.content()));
    st.fetch(2);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (got.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of("a", "b"), got, "exactly the two fetched");
    st.fetch(1);
    assertEquals("abc", st.result().await().content());
    assertEquals(List.of("a", "b", "c"), got);
  }

  @Test
  void anEndHandlerSetAfterTheEndStillRuns() throws Exception {
    h.fakes.script("p", Script.ok("a"));
    List<String> got = new CopyOnWriteArrayList<>();
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.handler(d -> got.add(d.content()));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (got.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(
        100); // let the end land before its handler is set (the order the README shows, from
    // another thread)
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    st.endHandler(v -> ended.countDown());
    assertTrue(ended.await(10, java.util.concurrent.TimeUnit.SECONDS), "the end was not dropped");
    assertEquals("a", st.result().await().content());
  }

  @ParameterizedTest
  @MethodSource("retryable")
  void streamFailsOverBeforeTheFirstToken(LlmException e) {
    h.fakes.script("p", Script.fail(e)).script("s", Script.ok("he", "llo"));
    List<String> got = new CopyOnWriteArrayList<>();
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.handler(d -> got.add(d.content()));
    assertEquals("hello", st.result().await().content());
    assertEquals(List.of("he", "llo"), got);
    assertEquals(List.of(RoutingEvent.Type.FAILOVER), h.eventTypes());
  }

  @Test
  void nonRetryableErrorIsReturnedAsIs() {
    BadRequestException bad = new BadRequestException("bad", ctx(400));
    h.fakes.script("p", Script.fail(bad));
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("m")).await());
    assertSame(bad, t);
    assertEquals(0, h.fakes.calls("s"));
    assertEquals(List.of(), h.events);
  }

  @Test
  void errorAfterTheFirstTokenIsATypedStreamErrorNeverACleanEnd() {
    ConnectionException cut = new ConnectionException("reset", ctx(0));
    h.fakes.script("p", Script.failAfter(1, cut, "a", "b"));
    List<String> got = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<String> ends = new CopyOnWriteArrayList<>();
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.exceptionHandler(errors::add)
        .endHandler(v -> ends.add("end"))
        .handler(d -> got.add(d.content()));
    Throwable t = assertThrows(Exception.class, () -> st.result().await());
    StreamErrorException se = assertInstanceOf(StreamErrorException.class, t);
    assertEquals(ErrorKind.STREAM_ERROR, se.kind());
    assertSame(cut, se.getCause());
    assertEquals(List.of("a"), got);
    assertEquals(List.of(se), errors);
    assertEquals(List.of(), ends);
    assertEquals(0, h.fakes.calls("s"), "no failover after the commit point");
    assertTrue(h.eventTypes().contains(RoutingEvent.Type.MID_STREAM_FAILURE));
  }

  @Test
  void rateLimitOnTheOnlyCandidateWaitsRetryAfterThenRetries() {
    h.fakes.script(
        "solo",
        Script.fail(
            new RateLimitedException("429", ctx(429).withRetryAfter(Duration.ofMillis(800)))));
    assertEquals("solo", h.factory.router().chat(Harness.req("only")).await().provider());
    assertEquals(List.of(Duration.ofMillis(800)), h.clock.sleeps);
    RoutingEvent retry = h.events.get(0);
    assertEquals(RoutingEvent.Type.RETRY, retry.type());
    assertEquals(Duration.ofMillis(800), retry.delay());
    assertEquals(429, retry.status());
    assertEquals(2, h.fakes.calls("solo"));
  }

  @Test
  void aRetryAfterBeyondMaxBackoffIsNotWaitedButReturned() {
    // routing.maxBackoff is 1 s: a server asking for a day must not park the request for a day.
    h.fakes.script(
        "solo",
        Script.fail(
            new RateLimitedException("429", ctx(429).withRetryAfter(Duration.ofSeconds(86400)))));
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("only")).await());
    ServiceUnavailableException su = assertInstanceOf(ServiceUnavailableException.class, t);
    assertEquals(List.of(), h.clock.sleeps, "no wait at all");
    assertEquals(1, h.fakes.calls("solo"));
    assertEquals(
        Duration.ofSeconds(86400),
        su.retryAfter().orElseThrow(),
        "the server's Retry-After is passed on");
  }

  @Test
  void exponentialBackoffWithJitterOnTheOnlyCandidate() {
    ServerErrorException boom = new ServerErrorException("500", ctx(500));
    h.fakes.script("solo", Script.fail(boom), Script.fail(boom));
    assertEquals("solo", h.factory.router().chat(Harness.req("only")).await().provider());
    // random() is 0: the jitter factor is 0.5 of 100ms, then of 200ms.
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100)), h.clock.sleeps);
  }

  @Test
  void breakerOpensSoAnOutageCostsOneAttemptPerCooldownThenCloses() {
    ServerErrorException boom = new ServerErrorException("500", ctx(500));
    h.fakes.script(
        "solo", Script.fail(boom), Script.fail(boom), Script.fail(boom), Script.fail(boom));
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("only")).await());
    ServiceUnavailableException su = assertInstanceOf(ServiceUnavailableException.class, t);
    assertEquals(3, su.attempts().size());
    assertEquals(ErrorKind.SERVER_ERROR, su.attempts().get(0).kind());
    assertEquals(503, su.status());
    assertSame(boom, su.getCause());
    assertEquals(3, h.fakes.calls("solo"));
    assertTrue(h.eventTypes().contains(RoutingEvent.Type.BREAKER_OPEN));

    for (int i = 0; i < 5; i++) { // open: no call at all, even though it is the only candidate
      assertInstanceOf(
          ServiceUnavailableException.class,
          assertThrows(
              Exception.class, () -> h.factory.router().chat(Harness.req("only")).await()));
    }
    assertEquals(3, h.fakes.calls("solo"));

    h.clock.advance(Duration.ofSeconds(30)); // half-open: one probe, which fails: open again
    assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("only")).await());
    assertEquals(4, h.fakes.calls("solo"));
    assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("only")).await());
    assertEquals(4, h.fakes.calls("solo"));

    h.events.clear();
    h.clock.advance(Duration.ofSeconds(30)); // the next probe succeeds: closed
    assertEquals("solo", h.factory.router().chat(Harness.req("only")).await().provider());
    assertEquals(
        List.of(RoutingEvent.Type.BREAKER_HALF_OPEN, RoutingEvent.Type.BREAKER_CLOSED),
        h.eventTypes());
    assertEquals(BreakerState.CLOSED, h.factory.availableProviders().get(2).breaker());
    assertEquals("solo", h.factory.router().chat(Harness.req("only")).await().provider());
  }

  @Test
  void openBreakerIsSkippedAndTheNextCandidateServes() {
    ConnectionException down = new ConnectionException("refused", ctx(0));
    for (int i = 0; i < 3; i++) {
      h.fakes.script("p", Script.fail(down));
      assertEquals("s", h.factory.router().chat(Harness.req("m")).await().provider());
    }
    assertEquals(BreakerState.OPEN, h.factory.availableProviders().get(0).breaker());
    h.events.clear();
    assertEquals("s", h.factory.router().chat(Harness.req("m")).await().provider());
    assertEquals(3, h.fakes.calls("p"));
    assertEquals(List.of(RoutingEvent.Type.SKIPPED), h.eventTypes());
  }

  @Test
  void allCandidatesFailingListsEachOne() {
    h.fakes.script("p", Script.fail(new ConnectionException("refused", ctx(0))));
    h.fakes.script(
        "s",
        Script.fail(new ServerErrorException("500", ctx(500))),
        Script.fail(new ServerErrorException("500", ctx(502))),
        Script.fail(new OverloadedException("503", ctx(503))));
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.router().chat(Harness.req("m")).await());
    ServiceUnavailableException su = assertInstanceOf(ServiceUnavailableException.class, t);
    assertEquals(
        List.of("p", "s", "s", "s"),
        su.attempts().stream().map(ServiceUnavailableException.Attempt::provider).toList());
    assertEquals(
        "No provider could serve model 'm': [p: CONNECTION; s: SERVER_ERROR (500); s: SERVER_ERROR (502); s: OVERLOADED (503)]",
        su.getMessage());
    assertTrue(!su.getMessage().contains("server text"), "upstream text stays out of the message");
    assertEquals(RoutingEvent.Type.EXHAUSTED, h.events.get(h.events.size() - 1).type());
  }

  @Test
  void eventsArePublishedOnTheEventBus(Vertx vertx) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(RoutingEvent.ADDRESS, m -> seen.add(m.body()))
        .completion()
        .await();
    h.factory.addListener(new EventBusRoutingListener(vertx.eventBus()));
    h.fakes.script("p", Script.fail(new ServerErrorException("500", ctx(500))));
    h.factory.router().chat(Harness.req("m")).await();
    long end = System.currentTimeMillis() + 5000;
    while (seen.isEmpty() && System.currentTimeMillis() < end) {
      Thread.onSpinWait();
    }
    JsonObject j = seen.get(0);
    assertEquals("FAILOVER", j.getString("type"));
    assertEquals("p", j.getString("provider"));
    assertEquals("SERVER_ERROR", j.getString("kind"));
    assertEquals(500, j.getInteger("status"));
  }

  @Test
  void aliasIsResolvedOnTheWire() throws Exception {
    h.rewrite(YAML + "aliases: { best: m }\n");
    h.factory.router().chat(Harness.req("best")).await();
    assertEquals(List.of("m"), List.copyOf(h.fakes.instances("p").get(0).models));
  }

  @Test
  void cancelBeforeTheFirstTokenFailsTheResultAndFreesTheProvider() {
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    h.fakes.script("p", Script.ok("late").heldBy(gate));
    ResponseStream<CompletionDelta, CompletionResult> st =
        h.factory.router().chatStream(Harness.req("m"));
    st.handler(
        d -> {
          throw new AssertionError("no chunk after cancel");
        });
    st.cancel().await();
    Throwable t = assertThrows(Exception.class, () -> st.result().await());
    assertEquals(ErrorKind.CANCELLED, assertInstanceOf(LlmException.class, t).kind());
    gate.complete();
    assertEquals(BreakerState.CLOSED, h.factory.availableProviders().get(0).breaker());
    assertEquals(0, h.fakes.calls("s"), "a cancel is not a failure to fail over from");
  }

  @Test
  void streamForAModelNobodyServesFailsEvenIfTheHandlerComesLate(Vertx vertx, @TempDir Path other)
      throws Exception {
    try (Harness strict =
        new Harness(
            vertx,
            other,
            """
        defaultProvider: x
        providers:
          - { name: x, type: fake, models: [m1] }
          - { name: z, type: fake, enabled: false }
        modelMapping: { claimed: z }
        """)) {
      ResponseStream<CompletionDelta, CompletionResult> st =
          strict.factory.router().chatStream(Harness.req("claimed"));
      // mapped to a disabled provider, and the default lists other models: nothing serves it
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      st.exceptionHandler(errors::add);
      assertInstanceOf(NoProviderForModelException.class, errors.get(0));
      assertInstanceOf(
          NoProviderForModelException.class,
          assertThrows(Exception.class, () -> st.result().await()));
    }
  }
}
