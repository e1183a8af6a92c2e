package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.providers.base.Residency;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several Ollama hosts that all list the model: the router sends each request where the model is
 * already loaded (or being loaded by this process), then to the least busy host, and a host that
 * fails fast stops looking idle.
 */
@Timeout(60)
class ResidencyRoutingTest {
  private static final String MODEL = "llama3.2";
  private Vertx vertx;
  private final List<FakeOllamaServer> hosts = new ArrayList<>();
  private ProviderConfigManager config;
  private LlmProviderFactory factory;
  private final List<RoutingEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    for (int i = 0; i < 3; i++) {
      FakeOllamaServer host = FakeOllamaServer.start(vertx).await();
      host.addModel(
          FakeModel.named(MODEL).capabilities("completion").reply("hi from " + i).loadDelayMs(300));
      hosts.add(host);
    }
  }

  @AfterEach
  void stop() {
    if (factory != null) {
      factory.close().await();
      config.stop();
    }
    hosts.forEach(h -> h.close().await());
    vertx.close().await();
  }

  /** Hosts gpu0..gpu2, each listing the model; the lifecycle polls /api/ps every {@code poll}. */
  private void factory(String poll) throws Exception {
    factory(poll, MODEL);
  }

  /** As {@link #factory(String)}, each host listing {@code models} (YAML list items). */
  private void factory(String poll, String models) throws Exception {
    factory(poll, models, b -> b);
  }

  /** As {@link #factory(String, String)}, the builder set up further by {@code setup}. */
  private void factory(
      String poll,
      String models,
      java.util.function.UnaryOperator<LlmProviderFactory.Builder> setup)
      throws Exception {
    StringBuilder yaml = new StringBuilder("providers:\n");
    for (int i = 0; i < hosts.size(); i++) {
      yaml.append(
          """
            - name: gpu%d
              type: ollama
              baseUrl: %s
              models: [%s]
              options: { lifecycle: { reconcileInterval: %s } }
          """
              .formatted(i, hosts.get(i).baseUrl(), models, poll));
    }
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, yaml);
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    factory = setup.apply(LlmProviderFactory.builder(vertx, config).listener(events::add)).build();
    factory.start().await();
  }

  private Future<CompletionResult> chat() {
    return factory.router().chat(CompletionRequest.builder(MODEL).user("hello").build());
  }

  private int chats(int host) {
    return hosts.get(host).requests("/api/chat").size();
  }

  private int loads() {
    return hosts.stream().mapToInt(h -> h.models().loadCount(MODEL)).sum();
  }

  @Test
  void aRequestGoesToTheHostThatHasTheModelLoaded() throws Exception {
    hosts.get(2).models().preload(MODEL, Duration.ofMinutes(30));
    factory("50ms");
    until(
        "gpu2's poll sees the model loaded",
        () -> factory.provider("gpu2").await().residency(MODEL) == Residency.LOADED);
    for (int i = 0; i < 10; i++) {
      assertEquals("hi from 2", chat().await().content());
    }
    assertEquals(10, chats(2));
    assertEquals(0, chats(0) + chats(1));
    assertEquals(1, loads(), "only the preload: no host loaded it a second time");
  }

  @Test
  void refreshResidencyAsksEachHostOnceAndRouteExplainsThePlacement() throws Exception {
    hosts.get(1).models().preload(MODEL, Duration.ofMinutes(30));
    Path file = dir.resolve("unstarted.yaml");
    Files.writeString(
        file,
        """
        providers:
          - { name: gpu0, type: ollama, baseUrl: "%s", models: [%s], weight: 1 }
          - { name: gpu1, type: ollama, baseUrl: "%s", models: [%s], weight: 0, options: { parallel: 3 } }
        """
            .formatted(hosts.get(0).baseUrl(), MODEL, hosts.get(1).baseUrl(), MODEL));
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    factory = LlmProviderFactory.builder(vertx, config).build(); // not started: no poll
    assertEquals(List.of("gpu0", "gpu1"), factory.route(MODEL, null).providers());

    List<LlmProviderFactory.HostState> states = factory.refreshResidency().await();
    assertEquals(1, hosts.get(0).requests("/api/ps").size());
    assertEquals(1, hosts.get(1).requests("/api/ps").size());
    assertEquals(List.of("gpu0", "gpu1"), states.stream().map(h -> h.provider()).toList());
    assertTrue(states.get(0).refreshed() && states.get(0).loaded().isEmpty(), states.toString());
    assertEquals(1, states.get(1).loaded().size(), states.toString());
    assertEquals(java.util.OptionalInt.of(4096), states.get(1).loaded().get(0).contextLength());
    assertEquals(3, states.get(1).capacity());

    ModelRoute route = factory.route(MODEL, null, null);
    assertEquals(List.of("gpu1", "gpu0"), route.providers());
    ModelRoute.Candidate first = route.candidates().get(0);
    assertEquals(ModelRoute.Step.LISTED, first.step());
    assertEquals(Residency.LOADED, first.residency());
    assertEquals(java.util.OptionalInt.of(4096), first.loadedContextLength());
    assertEquals(3, first.capacity());
    // a request asking another context would reload gpu1's copy: it still ranks ahead of a cold
    // host, but is marked
    ModelRoute other = factory.route(MODEL, null, 8192);
    assertEquals(List.of("gpu1", "gpu0"), other.providers());
    assertTrue(other.candidates().get(0).reload());
    assertEquals(0, hosts.get(0).requests("/api/chat").size() + chats(1), "nothing was sent");
  }

  @Test
  void aColdModelGoesToAHostThatHasItInstalledNotOneThatWouldHaveToPullIt() throws Exception {
    // every host lists qwen in the config; only gpu2's /api/tags has it
    hosts.get(2).addModel(FakeModel.named("qwen3").capabilities("completion").reply("qwen on 2"));
    factory("50ms", MODEL + ", qwen3");
    until(
        "each host's /api/tags was read",
        () ->
            factory.provider("gpu0").await().residency("qwen3") == Residency.ABSENT
                && factory.provider("gpu2").await().residency("qwen3") == Residency.INSTALLED
                && factory.provider("gpu0").await().residency(MODEL) == Residency.INSTALLED);
    assertEquals("gpu2", factory.route("qwen3", null, null).providers().get(0));
    String reply =
        factory
            .router()
            .chat(CompletionRequest.builder("qwen3:latest").user("hi").build())
            .await()
            .content();
    assertEquals("qwen on 2", reply);
    assertEquals(0, chats(0) + chats(1), "no host without the model was asked");
  }

  @Test
  void aColdLoadGoesToTheHostWithLessRunning() throws Exception {
    for (FakeOllamaServer h : hosts) {
      h.addModel(FakeModel.named("qwen3").capabilities("completion").reply("qwen"));
    }
    factory("1h", MODEL + ", qwen3");
    until(
        "the first look at each host read its /api/tags",
        () -> {
          for (int i = 0; i < hosts.size(); i++) {
            if (factory.provider("gpu" + i).await().residency("qwen3") != Residency.INSTALLED) {
              return false;
            }
          }
          return true;
        });
    // gpu0 and gpu1 are busy with a slow llama3.2 answer each; gpu2 only with nothing
    for (int i = 0; i < 2; i++) {
      hosts
          .get(i)
          .script(
              "/api/chat",
              Script.create()
                  .delayHeaders(2_000)
                  .line(core.llm.providers.ollama.fake.Chunks.chatChunk("slow"))
                  .line(
                      core.llm.providers.ollama.fake.Chunks.chatFinal(
                          "", "stop", core.llm.providers.ollama.fake.Chunks.metrics()))
                  .end());
    }
    Future<CompletionResult> slow0 =
        factory.router("gpu0").chat(CompletionRequest.builder(MODEL).user("hello").build());
    Future<CompletionResult> slow1 =
        factory.router("gpu1").chat(CompletionRequest.builder(MODEL).user("hello").build());
    hosts.get(0).awaitRequests("/api/chat", 1).await();
    hosts.get(1).awaitRequests("/api/chat", 1).await();
    ModelRoute route = factory.route("qwen3", null, null);
    assertEquals("gpu2", route.providers().get(0), route.toString());
    assertEquals(0, route.candidates().get(0).hostInFlight());
    assertEquals(1, route.candidates().get(1).hostInFlight());
    assertEquals(1, route.candidates().get(1).hostModelsInUse());
    slow0.await();
    slow1.await();
  }

  @Test
  void aBurstForAColdModelLoadsItOnOneHostOnly() throws Exception {
    factory("1h"); // no poll during the test: residency comes from what this process sent
    List<Future<CompletionResult>> burst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      burst.add(chat());
    }
    Future.all(burst).await();
    assertEquals(1, loads(), "the cold model was loaded once, on one host");
    // The fake, like Ollama, queues every request that arrives during a load behind that one
    // load, so a single load proves nothing about the router. What does: only the router's own
    // load reached a host while the model was loading there, and every chat came after it.
    List<core.llm.providers.ollama.fake.RecordedRequest> duringLoad =
        hosts.stream()
            .flatMap(h -> h.requests().stream())
            .filter(core.llm.providers.ollama.fake.RecordedRequest::waitedForLoad)
            .toList();
    assertEquals(
        1,
        duringLoad.size(),
        "requests that reached a host during the load, per path: "
            + duringLoad.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        core.llm.providers.ollama.fake.RecordedRequest::path,
                        java.util.stream.Collectors.counting())));
    assertTrue(isLoad(duringLoad.get(0)), "the one that loaded it was the router's load");
    int loader = -1;
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i).requests().contains(duringLoad.get(0))) {
        loader = i;
      }
    }
    assertEquals(50, chats(loader), "every request of the burst joined the one load");
    assertEquals(50, hosts.stream().mapToInt(h -> h.requests("/api/chat").size()).sum());
    assertEquals(1, hosts.stream().mapToInt(h -> h.requests("/api/generate").size()).sum());
  }

  /** A context on an event loop of its own: each deployment gets the next loop. */
  private io.vertx.core.Context loop() {
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Context> ctx =
        new java.util.concurrent.atomic.AtomicReference<>();
    vertx
        .deployVerticle(
            new io.vertx.core.VerticleBase() {
              @Override
              public Future<?> start() {
                ctx.set(context);
                return Future.succeededFuture();
              }
            })
        .await();
    return ctx.get();
  }

  /** Opens a routed stream on {@code ctx}; completes with the threads its chunks arrived on. */
  private Future<java.util.Set<String>> streamOn(io.vertx.core.Context ctx) {
    io.vertx.core.Promise<java.util.Set<String>> threads = io.vertx.core.Promise.promise();
    ctx.runOnContext(
        v -> {
          java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
          var stream =
              factory.router().chatStream(CompletionRequest.builder(MODEL).user("hello").build());
          stream.exceptionHandler(threads::tryFail);
          stream.endHandler(
              end -> {
                seen.add(Thread.currentThread().getName());
                threads.tryComplete(seen);
              });
          stream.handler(d -> seen.add(Thread.currentThread().getName()));
        });
    return threads.future();
  }

  @Test
  void aStreamThatWaitedForAnotherRequestsLoadDeliversOnItsOwnEventLoop() throws Exception {
    factory("1h");
    io.vertx.core.Context first = loop();
    io.vertx.core.Context second = loop();
    java.util.concurrent.CompletableFuture<String> a =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<String> b =
        new java.util.concurrent.CompletableFuture<>();
    first.runOnContext(v -> a.complete(Thread.currentThread().getName()));
    second.runOnContext(v -> b.complete(Thread.currentThread().getName()));
    String aThread = a.get(5, java.util.concurrent.TimeUnit.SECONDS);
    String bThread = b.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(!aThread.equals(bThread), "two event loops: " + aThread + ", " + bThread);

    // the first stream starts the model's shared load (300 ms); the second joins it and is opened
    // when that load, answered on the first one's loop, completes
    Future<java.util.Set<String>> one = streamOn(first);
    until(
        "the first request reached a host",
        () ->
            hosts.stream()
                .flatMap(h -> h.requests().stream())
                .anyMatch(r -> r.path().equals("/api/generate") || r.path().equals("/api/chat")));
    Future<java.util.Set<String>> two = streamOn(second);

    assertEquals(java.util.Set.of(aThread), one.await());
    assertEquals(java.util.Set.of(bThread), two.await(), "the second stream's chunks, on its loop");
    assertEquals(1, loads(), "one load for both");
  }

  @Test
  void aCallerThatGivesUpDuringTheLoadDoesNotAbortIt() throws Exception {
    factory("1h");
    // Ollama aborts a load whose requesting client goes away (the fake does too): the router
    // loads with a request of its own, which the caller's stream only waits for
    core.llm.providers.base.ResponseStream<core.llm.common.CompletionDelta, CompletionResult>
        stream =
            factory.router().chatStream(CompletionRequest.builder(MODEL).user("hello").build());
    stream.handler(d -> {});
    until(
        "a host was asked to load the model",
        () ->
            hosts.stream()
                .anyMatch(h -> h.requests().stream().anyMatch(r -> isLoad(r) || isChat(r))));
    stream.cancel().await();
    until(
        "the load finished anyway", () -> hosts.stream().anyMatch(h -> h.models().isLoaded(MODEL)));
    assertEquals(1, loads());
    assertEquals(
        0,
        hosts.stream().mapToInt(h -> h.requests("/api/chat").size()).sum(),
        "the cancelled stream never sent its chat");
    // the next request finds the model loaded there: no second load
    chat().await();
    assertEquals(1, loads());
  }

  private static boolean isChat(core.llm.providers.ollama.fake.RecordedRequest r) {
    return r.path().equals("/api/chat");
  }

  /** The router's own load: a generate without a prompt (ollama-api.md, "Load"). */
  private static boolean isLoad(core.llm.providers.ollama.fake.RecordedRequest r) {
    return r.path().equals("/api/generate") && !r.json().containsKey("prompt");
  }

  /**
   * Weighted choice with a random draw of 0 always picks the first host left in file order: among
   * hosts that rank equal, gpu0 is tried first, then gpu1, then gpu2.
   */
  private static LlmProviderFactory.Builder fileOrder(LlmProviderFactory.Builder b) {
    return b.random(() -> 0.0);
  }

  /** Waits until every host's first look (its /api/tags and /api/ps) shows the model so. */
  private void untilEveryHost(Residency residency) throws InterruptedException {
    for (int i = 0; i < hosts.size(); i++) {
      String name = "gpu" + i;
      until(
          name + "'s first look sees the model " + residency,
          () -> factory.provider(name).await().residency(MODEL) == residency);
    }
  }

  private long failovers(String provider) {
    return events.stream()
        .filter(e -> e.type() == RoutingEvent.Type.FAILOVER && provider.equals(e.provider()))
        .count();
  }

  @Test
  void aHostThatAnswers503FastStopsBeingChosen() throws Exception {
    hosts.get(0).scriptAlways("/api/chat", Script.jsonError(503, "server busy"));
    hosts.get(1).scriptAlways("/api/chat", Script.jsonError(503, "server busy"));
    factory("1h", MODEL, ResidencyRoutingTest::fileOrder);
    untilEveryHost(Residency.INSTALLED);
    // the three hosts rank equal: the first request tries gpu0, fails over to gpu1, then gpu2
    assertEquals("hi from 2", chat().await().content());
    assertEquals(1, chats(0), "gpu0 was tried first");
    assertEquals(1, chats(1), "gpu1 was tried next");
    assertEquals(1, failovers("gpu0"));
    assertEquals(1, failovers("gpu1"));
    for (int i = 0; i < 19; i++) {
      assertEquals("hi from 2", chat().await().content());
    }
    // each failure counts as load from then on: the failing hosts rank behind gpu2, though the
    // draw would still put them first
    assertEquals(1, chats(0), "gpu0 was not chosen again");
    assertEquals(1, chats(1), "gpu1 was not chosen again");
    assertEquals(20, chats(2));
    assertEquals(2, events.stream().filter(e -> e.type() == RoutingEvent.Type.FAILOVER).count());
  }

  @Test
  void aHostThatRefusesConnectionsStopsBeingChosen() throws Exception {
    for (FakeOllamaServer h : hosts) {
      h.models().preload(MODEL, Duration.ofMinutes(30));
    }
    factory("1h", MODEL, ResidencyRoutingTest::fileOrder);
    untilEveryHost(Residency.LOADED);
    // gpu0 goes down after the first look: nothing listens on its port any more, and no poll
    // comes to tell the router (every 1 h). All three still rank equal, gpu0 first.
    hosts.get(0).close().await();
    assertEquals(Residency.LOADED, factory.provider("gpu0").await().residency(MODEL));
    assertEquals("gpu0", factory.route(MODEL, null, null).providers().get(0));
    assertEquals("hi from 1", chat().await().content(), "failed over from gpu0 to gpu1");
    assertEquals(1, failovers("gpu0"), "gpu0 was tried first: " + events);
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.type() == RoutingEvent.Type.FAILOVER
                        && e.kind() == core.llm.common.ErrorKind.CONNECTION),
        events.toString());
    assertEquals(
        "gpu0", factory.route(MODEL, null, null).providers().get(2), "its failure counts as load");
    for (int i = 0; i < 19; i++) {
      String reply = chat().await().content();
      assertTrue(reply.equals("hi from 1") || reply.equals("hi from 2"), reply);
    }
    assertEquals(1, failovers("gpu0"), "gpu0 was not chosen again: " + events);
    assertEquals(20, chats(1) + chats(2), "every request was served by the hosts that are up");
  }

  private static CompletionRequest withContext(int numCtx) {
    return CompletionRequest.builder(MODEL)
        .user("hello")
        .options(
            core.llm.common.GenerationOptions.builder().providerOption("num_ctx", numCtx).build())
        .build();
  }

  @Test
  void aRequestWhoseContextLengthWouldForceAReloadGoesToTheHostWhoseCopyMatches() throws Exception {
    factory("1h");
    // gpu0's copy runs with 8192, gpu1's with 4096 (what each last answered with)
    assertEquals("hi from 0", factory.router("gpu0").chat(withContext(8192)).await().content());
    assertEquals("hi from 1", factory.router("gpu1").chat(withContext(4096)).await().content());
    for (int i = 0; i < 5; i++) {
      assertEquals("hi from 1", factory.router().chat(withContext(4096)).await().content());
      assertEquals("hi from 0", factory.router().chat(withContext(8192)).await().content());
    }
    assertTrue(
        events.stream().noneMatch(e -> e.type() == RoutingEvent.Type.RELOAD_CAUSED),
        events.toString());
    // no copy runs with 2048: a loaded copy is still better than gpu2's cold load, and the
    // reload it causes is told
    String reloaded = factory.router().chat(withContext(2048)).await().content();
    assertTrue(reloaded.equals("hi from 0") || reloaded.equals("hi from 1"), reloaded);
    assertEquals(
        1,
        events.stream().filter(e -> e.type() == RoutingEvent.Type.RELOAD_CAUSED).count(),
        events.toString());
    assertEquals(0, chats(2));
  }

  private static CompletionRequest withOptions(Map<String, Object> options) {
    core.llm.common.GenerationOptions.Builder b = core.llm.common.GenerationOptions.builder();
    options.forEach(b::providerOption);
    return CompletionRequest.builder(MODEL).user("hello").options(b.build()).build();
  }

  private String host(CompletionResult r) {
    return r.content().substring("hi from ".length());
  }

  @Test
  void otherLoadTimeOptionsGoToTheHostThatWasLoadedWithThem() throws Exception {
    for (int i = 0; i < 3; i++) {
      hosts.get(i).models().preload(MODEL, Duration.ofMinutes(30)); // with the server's defaults
    }
    factory("50ms");
    for (int i = 0; i < 3; i++) {
      String name = "gpu" + i;
      until(
          name + "'s poll sees the model loaded",
          () -> factory.provider(name).await().residency(MODEL) == Residency.LOADED);
    }
    // CPU only (num_gpu 0) reloads whichever copy serves it; from then on that host's copy matches
    String cpu = host(factory.router().chat(withOptions(Map.of("num_gpu", 0))).await());
    assertEquals(
        1, events.stream().filter(e -> e.type() == RoutingEvent.Type.RELOAD_CAUSED).count());
    for (int i = 0; i < 6; i++) {
      // 0.0 is the same setting as 0
      Map<String, Object> same = i % 2 == 0 ? Map.of("num_gpu", 0) : Map.of("num_gpu", 0.0);
      assertEquals(cpu, host(factory.router().chat(withOptions(same)).await()));
    }
    // a request with the defaults would reload that copy: it goes to a host still on defaults
    for (int i = 0; i < 6; i++) {
      assertTrue(!cpu.equals(host(chat().await())), "a default request reached the CPU copy");
    }
    // num_batch counts only when set: sending it reloads a copy (every copy differs: one runs
    // on the CPU, the others lack it), and leaving it out afterwards reloads nothing, wherever
    // the request goes
    factory.router().chat(withOptions(Map.of("num_batch", 1024))).await();
    assertEquals(
        2, events.stream().filter(e -> e.type() == RoutingEvent.Type.RELOAD_CAUSED).count());
    for (int i = 0; i < 6; i++) {
      chat().await();
    }
    assertEquals(
        2,
        events.stream().filter(e -> e.type() == RoutingEvent.Type.RELOAD_CAUSED).count(),
        events.toString());
    assertEquals(3, loads(), "the fake loaded each copy once: reloads are the router's count");
  }

  /** A local host of capacity 1 and an overflow provider, both serving {@link #MODEL}. */
  private void startOverflowConfig() throws Exception {
    Path file = dir.resolve("overflow.yaml");
    Files.writeString(
        file,
        """
        providers:
          - { name: local, type: ollama, baseUrl: "%s", models: [%s], options: { parallel: 1 } }
          - { name: cloud, type: ollama, baseUrl: "%s", models: [%s], overflow: true }
        """
            .formatted(hosts.get(0).baseUrl(), MODEL, hosts.get(1).baseUrl(), MODEL));
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
  }

  @Test
  void anOverflowProviderTakesRequestsOnlyWhenTheLocalOnesAreSaturated() throws Exception {
    startOverflowConfig();
    factory = LlmProviderFactory.builder(vertx, config).listener(events::add).build();
    for (int i = 0; i < 5; i++) {
      assertEquals("hi from 0", chat().await().content());
    }
    assertEquals(0, chats(1), "the overflow provider is idle while the local one has room");

    // the local host is busy with one request (its capacity): the next one overflows
    hosts
        .get(0)
        .script(
            "/api/chat",
            Script.create()
                .delayHeaders(500)
                .line(core.llm.providers.ollama.fake.Chunks.chatChunk("slow"))
                .line(
                    core.llm.providers.ollama.fake.Chunks.chatFinal(
                        "", "stop", core.llm.providers.ollama.fake.Chunks.metrics()))
                .end());
    Future<CompletionResult> slow = chat();
    hosts.get(0).awaitRequests("/api/chat", 6).await();
    ModelRoute explained = factory.route(MODEL, null, null);
    assertEquals(List.of("cloud", "local"), explained.providers());
    ModelRoute.Candidate cloud = explained.candidates().get(0);
    ModelRoute.Candidate local = explained.candidates().get(1);
    assertEquals(ModelRoute.Step.OVERFLOW, cloud.step());
    assertEquals(ModelRoute.Step.LISTED, local.step());
    assertEquals(1, local.inFlight());
    assertEquals(1, local.capacity());
    assertEquals(1.0, local.busy());
    assertEquals("hi from 1", chat().await().content());
    assertEquals("slow", slow.await().content());
    assertEquals(
        1,
        events.stream().filter(e -> e.type() == RoutingEvent.Type.OVERFLOW).count(),
        events.toString());
  }

  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  /** Observability on a SimpleMeterRegistry, wired into a builder as an application does. */
  private LlmProviderFactory.Builder observed(LlmProviderFactory.Builder b) {
    core.llm.observability.Observability obs =
        core.llm.observability.Observability.builder()
            .metrics(new core.llm.observability.micrometer.MicrometerMetricsSink(registry))
            .requestLog(false)
            .build();
    return b.decorator(obs.decorator()).listener(obs.routingListener());
  }

  /** The routing events meter for that type, summed over its providers and kinds. */
  private double routingMeter(String type) {
    return registry.find("llm.routing.events").tag("type", type).counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  private long events(RoutingEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).count();
  }

  @Test
  void aReloadTheRouterCausesIsCountedInTheRoutingEventsMeter() throws Exception {
    for (FakeOllamaServer h : hosts) {
      h.models().preload(MODEL, Duration.ofMinutes(30)); // with the server's defaults
    }
    factory("50ms", MODEL, this::observed);
    untilEveryHost(Residency.LOADED);
    chat().await();
    assertEquals(0, routingMeter("reload_caused"), "a request with the defaults reloads nothing");
    // CPU only (num_gpu 0) reloads whichever copy serves it, as in
    // otherLoadTimeOptionsGoToTheHostThatWasLoadedWithThem
    String cpu = "gpu" + host(factory.router().chat(withOptions(Map.of("num_gpu", 0))).await());
    assertEquals(1, events(RoutingEvent.Type.RELOAD_CAUSED), events.toString());
    assertEquals(
        1.0,
        registry
            .get("llm.routing.events")
            .tags("type", "reload_caused", "provider", cpu, "kind", "none")
            .counter()
            .count());
    assertEquals(1, routingMeter("reload_caused"));
    // the same options again: that copy matches now, nothing more is counted
    factory.router().chat(withOptions(Map.of("num_gpu", 0))).await();
    assertEquals(1, routingMeter("reload_caused"));
    // num_batch differs from every copy: a second reload, a second count
    factory.router().chat(withOptions(Map.of("num_batch", 1024))).await();
    assertEquals(2, events(RoutingEvent.Type.RELOAD_CAUSED), events.toString());
    assertEquals(2, routingMeter("reload_caused"));
    assertEquals(0, routingMeter("overflow"));
  }

  @Test
  void anOverflowIsCountedInTheRoutingEventsMeter() throws Exception {
    startOverflowConfig();
    factory = observed(LlmProviderFactory.builder(vertx, config).listener(events::add)).build();
    assertEquals("hi from 0", chat().await().content());
    assertEquals(0, routingMeter("overflow"), "the local host had room");
    // as in anOverflowProviderTakesRequestsOnlyWhenTheLocalOnesAreSaturated: the local host is
    // busy with one request (its capacity), so the next one overflows
    hosts
        .get(0)
        .script(
            "/api/chat",
            Script.create()
                .delayHeaders(500)
                .line(core.llm.providers.ollama.fake.Chunks.chatChunk("slow"))
                .line(
                    core.llm.providers.ollama.fake.Chunks.chatFinal(
                        "", "stop", core.llm.providers.ollama.fake.Chunks.metrics()))
                .end());
    Future<CompletionResult> slow = chat();
    hosts.get(0).awaitRequests("/api/chat", 2).await();
    assertEquals("hi from 1", chat().await().content());
    assertEquals("slow", slow.await().content());
    assertEquals(1, events(RoutingEvent.Type.OVERFLOW), events.toString());
    assertEquals(
        1.0,
        registry
            .get("llm.routing.events")
            .tags("type", "overflow", "provider", "cloud", "kind", "none")
            .counter()
            .count());
    assertEquals(1, routingMeter("overflow"));
    assertEquals(0, routingMeter("reload_caused"));
  }

  /** gpu0 and gpu1 both list the embedding model; gpu1's weights are {@code gpu1Weights}. */
  private void embeddingHosts(String gpu1Weights) throws Exception {
    hosts.get(0).addModel(FakeModel.named("nomic-embed-text").capabilities("embedding"));
    hosts
        .get(1)
        .addModel(
            FakeModel.named("nomic-embed-text").capabilities("embedding").weights(gpu1Weights));
    Path file = dir.resolve("embed.yaml");
    Files.writeString(
        file,
        """
        providers:
          - { name: gpu0, type: ollama, baseUrl: "%s", models: [nomic-embed-text] }
          - { name: gpu1, type: ollama, baseUrl: "%s", models: [nomic-embed-text] }
        """
            .formatted(hosts.get(0).baseUrl(), hosts.get(1).baseUrl()));
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    factory = LlmProviderFactory.builder(vertx, config).build();
  }

  private Future<core.llm.common.EmbeddingResult> embed() {
    return factory
        .router("gpu0")
        .embed(new core.llm.common.EmbeddingRequest("nomic-embed-text", List.of("hello"), null));
  }

  @Test
  void embeddingsFailOverToAHostWithTheSameWeights() throws Exception {
    embeddingHosts("");
    assertEquals("gpu0", embed().await().provider());
    hosts.get(0).scriptAlways("/api/embed", Script.jsonError(503, "server busy"));
    assertEquals("gpu1", embed().await().provider());
  }

  @Test
  void embeddingsNeverFailOverToOtherWeightsUnderTheSameName() throws Exception {
    embeddingHosts("q8_0 build");
    assertEquals("gpu0", embed().await().provider());
    hosts.get(0).scriptAlways("/api/embed", Script.jsonError(503, "server busy"));
    Throwable e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> embed().await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(e instanceof core.llm.common.BadRequestException, String.valueOf(e));
    assertTrue(e.getMessage().contains("must not be mixed"), e.getMessage());
    assertEquals(0, hosts.get(1).requests("/api/embed").size(), "nothing was sent to gpu1");
  }

  @Test
  void theRouterCountsTokensWithTheProviderItWouldTryFirst() throws Exception {
    factory("1h");
    CompletionRequest request = CompletionRequest.builder(MODEL).user("x".repeat(40)).build();
    core.llm.common.TokenCount c = factory.router().countTokens(request).await();
    assertEquals(core.llm.common.TokenCount.estimate(request), c);
    assertEquals(10 + 4, c.tokens());
    assertEquals(0, chats(0) + chats(1) + chats(2), "counting sends nothing");
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
