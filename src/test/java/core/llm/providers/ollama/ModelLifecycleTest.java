package core.llm.providers.ollama;

import static core.llm.providers.ollama.ModelState.FAILED;
import static core.llm.providers.ollama.ModelState.LOADED;
import static core.llm.providers.ollama.ModelState.UNKNOWN;
import static core.llm.providers.ollama.ModelState.UNLOADED;
import static core.llm.providers.ollama.ModelState.UNLOADING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.LlmTimeoutException;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.ProcessModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ModelLifecycleTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient client;
  private ModelLifecycle lifecycle;
  private final MutableClock clock = new MutableClock();
  private final List<ModelEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2"));
    server.addModel(FakeModel.named("qwen3:8b").capabilities("completion", "tools", "thinking"));
    server.addModel(FakeModel.named("gemma3"));
    client = OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
  }

  @AfterEach
  void stop() {
    if (lifecycle != null) {
      lifecycle.stop();
    }
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  private ModelLifecycle lifecycle(LifecycleOptions options) {
    lifecycle = ModelLifecycle.create(vertx, client, options.setClock(clock));
    lifecycle.addListener(events::add);
    return lifecycle;
  }

  private ModelLifecycle lifecycle() {
    return lifecycle(new LifecycleOptions());
  }

  private List<String> transitions(String model) {
    synchronized (events) {
      return events.stream()
          .filter(e -> e.model().equals(model))
          .map(e -> e.from() + ">" + e.to())
          .toList();
    }
  }

  @Test
  void loadIsConfirmedTrackedAndReportsTheProcessRow() {
    LoadResult r = lifecycle().load("llama3.2").await();
    assertEquals("llama3.2:latest", r.model());
    assertEquals("load", r.doneReason());
    ProcessModel p = r.process();
    assertNotNull(p);
    assertEquals(1.0, p.vramFraction());
    assertTrue(p.size() > 0);
    // the fake's clock is frozen: a fresh load keeps the server default of 5 minutes
    assertEquals(server.clock().now().plus(Duration.ofMinutes(5)), p.expiresAtTime().toInstant());
    assertTrue(server.models().isLoaded("llama3.2"));
    assertEquals(LOADED, lifecycle.tracker().state("library/llama3.2:latest"));
    assertEquals(List.of("UNKNOWN>LOADING", "LOADING>LOADED"), transitions("llama3.2:latest"));
    assertTrue(lifecycle.isLoaded("LLAMA3.2").await(), "tag-normalised and case-insensitive");
    assertFalse(lifecycle.isLoaded("gemma3").await());
    JsonObject sent = new JsonObject(server.lastRequest("/api/generate").bodyText());
    assertFalse(sent.containsKey("prompt"), "a load is an empty generate: " + sent);
  }

  @Test
  void unloadSendsKeepAliveZeroAndIsConfirmed() {
    lifecycle().load("llama3.2").await();
    lifecycle.unload("llama3.2").await();
    JsonObject sent = new JsonObject(server.lastRequest("/api/generate").bodyText());
    assertEquals(0, sent.getInteger("keep_alive"));
    assertFalse(server.models().isLoaded("llama3.2"));
    assertEquals(UNLOADED, lifecycle.tracker().state("llama3.2"));
    assertEquals(
        List.of("UNKNOWN>LOADING", "LOADING>LOADED", "LOADED>UNLOADING", "UNLOADING>UNLOADED"),
        transitions("llama3.2:latest"));
  }

  @Test
  void pinKeepsTheModelForCenturies() {
    LoadResult r = lifecycle().pin("llama3.2").await();
    assertEquals(
        -1,
        new JsonObject(server.lastRequest("/api/generate").bodyText()).getInteger("keep_alive"));
    assertTrue(r.process().expiresAtTime().getYear() > 2200, r.process().expiresAt());
    assertTrue(lifecycle.tracker().get("llama3.2").orElseThrow().pinned());
    server.advance(Duration.ofDays(365));
    lifecycle.reconcile().await();
    assertEquals(LOADED, lifecycle.tracker().state("llama3.2"));
    assertTrue(lifecycle.tracker().get("llama3.2").orElseThrow().expiresAt().isPresent());
  }

  @Test
  void expiryOnTheServerIsSeenByTheNextReconcile() {
    lifecycle().load("llama3.2", KeepAlive.of(Duration.ofMinutes(1)), null).await();
    server.advance(Duration.ofMinutes(2));
    assertEquals(LOADED, lifecycle.tracker().state("llama3.2"), "nothing polled yet");
    assertTrue(lifecycle.reconcile().await().isEmpty());
    assertEquals(UNLOADED, lifecycle.tracker().state("llama3.2"));
    ModelEvent last = events.get(events.size() - 1);
    assertTrue(last.reason().contains("/api/ps"), last.reason());
    assertEquals(server.baseUrl(), last.host());
  }

  @Test
  void concurrentLoadsOfOneModelShareOneRequest() {
    // The three calls must all come while the one load is in flight: 1 s, not 200 ms, leaves room
    // for a test thread that a loaded machine schedules late.
    server.addModel(FakeModel.named("big").loadDelayMs(1_000));
    lifecycle();
    Future<LoadResult> a = lifecycle.load("big");
    Future<LoadResult> b = lifecycle.load("big:latest");
    Future<LoadResult> c = lifecycle.load("library/big");
    Future.all(a, b, c).await();
    assertSame(a.result(), b.result());
    assertSame(a.result(), c.result());
    assertEquals(1, server.models().loadCount("big"));
    assertEquals(1, server.requests("/api/generate").size());
    assertEquals(List.of("UNKNOWN>LOADING", "LOADING>LOADED"), transitions("big:latest"));
  }

  @Test
  void loadCutShortByTheTimeoutIsReportedAndAbortedOnTheServer() {
    server.addModel(FakeModel.named("huge").loadDelayMs(5_000));
    // 1 s, not 100 ms: the request must reach the server before the limit, or no close is seen
    // there.
    lifecycle(new LifecycleOptions().setLoadTimeout(Duration.ofSeconds(1)));
    Throwable error = OllamaStreamingTest.assertFails(lifecycle.load("huge"));
    LlmTimeoutException timeout = assertInstanceOf(LlmTimeoutException.class, error);
    assertEquals(LlmTimeoutException.Phase.FIRST_BYTE, timeout.phase());
    assertEquals(FAILED, lifecycle.tracker().state("huge"));
    server.awaitClientClose().await();
    assertFalse(
        server.models().isLoaded("huge"), "the client left, so the server aborted the load");
    assertEquals(0, server.models().loadCount("huge"));
    List<String> t = transitions("huge:latest");
    assertEquals(List.of("UNKNOWN>LOADING", "LOADING>FAILED"), t);
    assertTrue(
        events.get(events.size() - 1).reason().toLowerCase().contains("timeout")
            || events.get(events.size() - 1).reason().contains("100"),
        events.get(events.size() - 1).reason());
  }

  @Test
  void loadThenUnloadRunInOrderAndEventsArriveInOrderOnTheBus() {
    server.addModel(FakeModel.named("slow").loadDelayMs(150));
    List<JsonObject> onBus = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> fourOnBus = Promise.promise();
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                ModelEvent.ADDRESS,
                m -> {
                  onBus.add(m.body());
                  if (onBus.size() == 4) {
                    fourOnBus.tryComplete();
                  }
                });
    consumer.completion().await();
    lifecycle();
    Future<LoadResult> load = lifecycle.load("slow");
    Future<Void> unload = lifecycle.unload("slow");
    Future<LoadResult> again = lifecycle.load("slow");
    Future.all(load, unload, again).await();
    assertEquals(
        2, server.models().loadCount("slow"), "the load after the unload is not coalesced");
    List<String> expected =
        List.of(
            "UNKNOWN>LOADING",
            "LOADING>LOADED",
            "LOADED>UNLOADING",
            "UNLOADING>UNLOADED",
            "UNLOADED>LOADING",
            "LOADING>LOADED");
    assertEquals(expected, transitions("slow:latest"));
    fourOnBus.future().await();
    List<String> busOrder =
        onBus.stream()
            .limit(4)
            .map(ModelEvent::fromJson)
            .map(e -> e.from() + ">" + e.to())
            .toList();
    assertEquals(expected.subList(0, 4), busOrder);
    JsonObject first = onBus.get(0);
    assertEquals(server.baseUrl(), first.getString("host"));
    assertEquals("slow:latest", first.getString("model"));
    assertEquals(clock.instant().toString(), first.getString("at"));
  }

  @Test
  void idlePolicyUnloadsModelsUnusedForTooLong() {
    lifecycle(new LifecycleOptions().setIdleTimeout(Duration.ofMinutes(10)));
    lifecycle.load("llama3.2").await();
    lifecycle.load("gemma3").await();
    clock.advance(Duration.ofMinutes(11));
    lifecycle.tracker().touch("gemma3"); // the provider adapter saw a request
    lifecycle.reconcile().await();
    assertEquals(UNLOADED, lifecycle.tracker().state("llama3.2"));
    assertEquals(LOADED, lifecycle.tracker().state("gemma3"));
    assertFalse(server.models().isLoaded("llama3.2"));
    assertTrue(server.models().isLoaded("gemma3"));
    assertTrue(
        events.stream().anyMatch(e -> e.to() == UNLOADING && e.reason().startsWith("idle policy")));
  }

  @Test
  void lruPolicyKeepsAtMostNModelsAndNeverEvictsPinnedOnes() {
    lifecycle(new LifecycleOptions().setMaxLoaded(2));
    lifecycle.pin("qwen3:8b").await();
    clock.advance(Duration.ofSeconds(1));
    lifecycle.load("llama3.2").await();
    clock.advance(Duration.ofSeconds(1));
    lifecycle
        .load("gemma3")
        .await(); // three loaded: llama3.2 is the least recently used unpinned one
    assertEquals(UNLOADED, lifecycle.tracker().state("llama3.2"));
    assertEquals(LOADED, lifecycle.tracker().state("gemma3"));
    assertEquals(LOADED, lifecycle.tracker().state("qwen3:8b"));
    assertEquals(2, lifecycle.running().await().size());
    assertTrue(
        events.stream().anyMatch(e -> e.to() == UNLOADING && e.reason().startsWith("LRU policy")));
  }

  @Test
  void lruPolicyFollowsTouches() {
    lifecycle(new LifecycleOptions().setMaxLoaded(2));
    lifecycle.load("llama3.2").await();
    clock.advance(Duration.ofSeconds(1));
    lifecycle.load("gemma3").await();
    clock.advance(Duration.ofSeconds(1));
    lifecycle.tracker().touch("llama3.2");
    clock.advance(Duration.ofSeconds(1));
    lifecycle.load("qwen3:8b").await();
    assertEquals(LOADED, lifecycle.tracker().state("llama3.2"));
    assertEquals(UNLOADED, lifecycle.tracker().state("gemma3"));
  }

  @Test
  void lruNeverWaitsOnAModelThatIsBusyWhichWouldDeadlock() {
    lifecycle(new LifecycleOptions().setMaxLoaded(1));
    lifecycle.load("llama3.2").await();
    clock.advance(Duration.ofSeconds(1));
    // the next generate (a reload of llama3.2) answers late, so gemma3 finishes loading meanwhile
    server.script(
        "/api/generate",
        Script.create()
            .delayHeaders(1_000)
            .line(Chunks.generateFinal("llama3.2:latest", "", "load", null))
            .end());
    Future<LoadResult> reload =
        lifecycle.load("llama3.2", KeepAlive.of(Duration.ofMinutes(9)), null);
    Future<LoadResult> other = lifecycle.load("gemma3");
    Future.all(reload, other).await();
    assertEquals(LOADED, lifecycle.tracker().state("llama3.2"));
    assertEquals(
        UNLOADED, lifecycle.tracker().state("gemma3"), "evicted once llama3.2 was no longer busy");
  }

  @Test
  void warmListIsLoadedAtStartAndStopLeavesNoTimer() {
    lifecycle(
        new LifecycleOptions()
            .setWarm(List.of("llama3.2", "gemma3"))
            .setWarmKeepAlive(KeepAlive.FOREVER)
            .setReconcileInterval(Duration.ofMillis(20)));
    lifecycle.start().await();
    assertTrue(server.models().isLoaded("llama3.2"));
    assertTrue(server.models().isLoaded("gemma3"));
    assertTrue(lifecycle.tracker().get("gemma3").orElseThrow().pinned());
    ModelLifecycleImpl impl = (ModelLifecycleImpl) lifecycle;
    long timer = impl.timerId();
    assertTrue(timer >= 0);
    lifecycle.start().await();
    assertEquals(timer, impl.timerId(), "start twice keeps one timer");
    lifecycle.stop();
    assertEquals(-1, impl.timerId());
    assertFalse(vertx.cancelTimer(timer), "the periodic timer is gone");
  }

  @Test
  void periodicReconcileNoticesExpiryWithoutBeingAsked() {
    lifecycle(new LifecycleOptions().setReconcileInterval(Duration.ofMillis(20)));
    lifecycle.load("llama3.2", KeepAlive.of(Duration.ofMinutes(1)), null).await();
    Promise<ModelEvent> unloaded = Promise.promise();
    lifecycle.addListener(
        e -> {
          if (e.to() == UNLOADED) {
            unloaded.tryComplete(e);
          }
        });
    lifecycle.start().await();
    server.advance(Duration.ofMinutes(2));
    assertEquals("llama3.2:latest", unloaded.future().await().model());
  }

  @Test
  void modelsLoadedByOthersAreTrackedFromPs() {
    server.models().preload("gemma3", Duration.ofMinutes(5));
    lifecycle();
    assertEquals(UNKNOWN, lifecycle.tracker().state("gemma3"));
    List<ProcessModel> ps = lifecycle.running().await();
    assertEquals(1, ps.size());
    assertEquals(LOADED, lifecycle.tracker().state("gemma3"));
    assertEquals(clock.instant(), lifecycle.tracker().get("gemma3").orElseThrow().lastUsed());
    assertEquals(List.of("UNKNOWN>LOADED"), transitions("gemma3:latest"));
  }

  @Test
  void policiesLeaveModelsThisProcessNeverUsedAlone() {
    // another client's models are loaded before this process starts
    server.models().preload("gemma3", Duration.ofMinutes(5));
    server.models().preload("qwen3:8b", Duration.ofMinutes(5));
    lifecycle(new LifecycleOptions().setMaxLoaded(1).setIdleTimeout(Duration.ofMinutes(10)));
    lifecycle.reconcile().await();
    clock.advance(Duration.ofMinutes(11));
    lifecycle.reconcile().await();
    assertTrue(server.models().isLoaded("gemma3"), "idle policy unloaded another client's model");
    assertTrue(server.models().isLoaded("qwen3:8b"), "LRU policy unloaded another client's model");
    assertFalse(events.stream().anyMatch(e -> e.to() == UNLOADING), String.valueOf(events));

    // what this process loads or uses is managed: at most one of its own models stays loaded
    lifecycle.load("llama3.2").await();
    clock.advance(Duration.ofSeconds(1));
    lifecycle.tracker().touch("gemma3"); // a request of ours used it: now ours too
    lifecycle.reconcile().await();
    assertFalse(server.models().isLoaded("llama3.2"), "LRU among this process's models");
    assertTrue(server.models().isLoaded("gemma3"));
    assertTrue(server.models().isLoaded("qwen3:8b"));
    assertTrue(lifecycle.tracker().get("gemma3").orElseThrow().ours());
    assertFalse(lifecycle.tracker().get("qwen3:8b").orElseThrow().ours());
  }

  @Test
  void manageAllModelsAppliesThePoliciesToTheWholeHost() {
    server.models().preload("gemma3", Duration.ofMinutes(5));
    server.models().preload("qwen3:8b", Duration.ofMinutes(5));
    lifecycle(new LifecycleOptions().setMaxLoaded(1).setManageAllModels(true));
    lifecycle.reconcile().await();
    assertEquals(
        1, lifecycle.running().await().size(), "one of the two foreign models was unloaded");
  }

  @Test
  void embeddingModelsAreLoadedThroughEmbed() {
    server.addModel(FakeModel.embedding("nomic-embed-text"));
    LoadResult r = lifecycle().load("nomic-embed-text").await();
    assertNull(r.doneReason());
    assertTrue(server.models().isLoaded("nomic-embed-text"));
    assertEquals(1, server.requests("/api/embed").size());
    assertTrue(server.requests("/api/generate").isEmpty());
    lifecycle.unload("nomic-embed-text").await();
    assertFalse(server.models().isLoaded("nomic-embed-text"));
  }
}
