package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.ErrorKind;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.mock.MockReply;
import core.llm.providers.ollama.ModelEvent;
import core.llm.providers.ollama.ModelState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every metric and its labels, on a SimpleMeterRegistry, after scripted requests. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class MetricsTest {
  static final Map<String, String> ENV = Map.of("PLANTED_KEY", "sk-planted-0123456789abcdef");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Observability obs =
      Observability.builder().metrics(new MicrometerMetricsSink(registry)).build();
  @TempDir Path dir;

  Timer timer(String name, String... tags) {
    return registry.get(name).tags(tags).timer();
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  /** Label keys of every meter of that name: bounded, fixed sets. */
  Set<String> tagKeys(String name) {
    return registry.find(name).meters().stream()
        .flatMap(m -> m.getId().getTags().stream())
        .map(t -> t.getKey())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void chatAndEmbedRecordRequestsTokensAndServerTimings() {
    LlmProvider p = obs.decorate(new Fixture.TimedProvider());
    p.chat(Fixture.req("llama3.2", "hi")).await();
    p.embed(EmbeddingRequest.of("nomic", "a b c d")).await();

    assertEquals(
        1,
        timer(
                "llm.requests",
                "provider",
                "ollama",
                "model",
                "llama3.2",
                "operation",
                "chat",
                "outcome",
                "success")
            .count());
    assertEquals(
        1,
        timer(
                "llm.requests",
                "provider",
                "ollama",
                "model",
                "nomic",
                "operation",
                "embed",
                "outcome",
                "success")
            .count());
    assertEquals(Set.of("provider", "model", "operation", "outcome"), tagKeys("llm.requests"));
    assertEquals(
        20, counter("llm.tokens", "provider", "ollama", "model", "llama3.2", "direction", "in"));
    assertEquals(
        50, counter("llm.tokens", "provider", "ollama", "model", "llama3.2", "direction", "out"));
    assertEquals(
        4, counter("llm.tokens", "provider", "ollama", "model", "nomic", "direction", "in"));
    assertEquals(Set.of("provider", "model", "direction"), tagKeys("llm.tokens"));
    assertEquals(
        300,
        timer("llm.server.duration", "model", "llama3.2", "phase", "load")
            .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(
        200,
        timer("llm.server.duration", "model", "llama3.2", "phase", "prompt_eval")
            .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(
        1000,
        timer("llm.server.duration", "model", "llama3.2", "phase", "eval")
            .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(
        1500,
        timer("llm.server.duration", "model", "llama3.2", "phase", "total")
            .totalTime(TimeUnit.MILLISECONDS));
    assertEquals(Set.of("provider", "model", "phase"), tagKeys("llm.server.duration"));
    assertEquals(
        50.0,
        registry
            .get("llm.tokens.per.second")
            .tags("model", "llama3.2", "phase", "eval")
            .summary()
            .mean(),
        1e-9);
    assertEquals(
        100.0,
        registry
            .get("llm.tokens.per.second")
            .tags("model", "llama3.2", "phase", "prompt_eval")
            .summary()
            .mean(),
        1e-9);
    // embeddings report no eval timing: no tokens/s for them
    assertNull(registry.find("llm.tokens.per.second").tags("model", "nomic").summary());
  }

  @Test
  void streamRecordsTimeToFirstTokenAndBetweenTokens(Vertx vertx) {
    MockProvider mock = MockProvider.create(vertx, "a").tokenDelay(Duration.ofMillis(20));
    mock.nextReply(MockReply.tokens("one ", "two ", "three ", "four").withUsage(3, 4));
    ResponseStream<CompletionDelta, CompletionResult> s =
        obs.decorate(mock).chatStream(Fixture.req("m", "count"));
    List<String> got = new CopyOnWriteArrayList<>();
    s.handler(d -> got.add(d.content()));
    CompletionResult r = s.result().await();

    assertEquals("one two three four", r.content());
    Timer first = timer("llm.stream.first.token", "provider", "a", "model", "m");
    Timer between = timer("llm.stream.inter.token", "provider", "a", "model", "m");
    assertEquals(1, first.count());
    assertEquals(3, between.count(), "one gap per token after the first");
    assertTrue(first.totalTime(TimeUnit.MILLISECONDS) >= 15, "first token waited for the delay");
    assertTrue(between.totalTime(TimeUnit.MILLISECONDS) >= 45, "three gaps of ~20ms");
    assertEquals(Set.of("provider", "model"), tagKeys("llm.stream.inter.token"));
    assertEquals(
        1,
        timer("llm.requests", "provider", "a", "operation", "stream", "outcome", "success")
            .count());
    assertEquals(4, counter("llm.tokens", "provider", "a", "direction", "out"));
  }

  @Test
  void failuresAreLabelledWithTheirKind(Vertx vertx) {
    MockProvider mock = MockProvider.create(vertx, "a");
    LlmProvider p = obs.decorate(mock);
    mock.nextReply(MockReply.failure(ErrorKind.RATE_LIMITED));
    assertThrows(Exception.class, () -> p.chat(Fixture.req("m", "x")).await());

    mock.nextReply(MockReply.midStreamError(List.of("a", "b"), "engine crashed"));
    ResponseStream<CompletionDelta, CompletionResult> s = p.chatStream(Fixture.req("m", "x"));
    s.handler(d -> {});
    assertThrows(Exception.class, () -> s.result().await());

    mock.nextReply(MockReply.stall());
    ResponseStream<CompletionDelta, CompletionResult> stalled = p.chatStream(Fixture.req("m", "x"));
    stalled.handler(d -> {});
    stalled.cancel().await();

    assertEquals(
        1,
        timer("llm.requests", "provider", "a", "operation", "chat", "outcome", "rate_limited")
            .count());
    assertEquals(
        1,
        timer("llm.requests", "provider", "a", "operation", "stream", "outcome", "stream_error")
            .count());
    assertEquals(
        1,
        timer("llm.requests", "provider", "a", "operation", "stream", "outcome", "cancelled")
            .count());
    assertEquals(
        1,
        timer("llm.stream.first.token", "provider", "a").count(),
        "only the stream that sent tokens");
  }

  @Test
  void modelLabelsAreCapped(Vertx vertx) {
    Observability capped =
        Observability.builder()
            .metrics(new MicrometerMetricsSink(registry))
            .maxModelLabels(2)
            .build();
    LlmProvider p = capped.decorate(MockProvider.create(vertx, "a"));
    for (String model : List.of("m1", "m2", "m3", "m4", "m1")) {
      p.chat(Fixture.req(model, "x")).await();
    }
    Set<String> models =
        registry.find("llm.requests").meters().stream()
            .map(m -> m.getId().getTag("model"))
            .collect(Collectors.toSet());
    assertEquals(Set.of("m1", "m2", "other"), models);
    assertEquals(2, timer("llm.requests", "model", "other").count());
  }

  @Test
  void failoverRetryAndBreakerThroughTheRouter(Vertx vertx) throws Exception {
    try (Fixture f = new Fixture(vertx, dir, obs, ENV)) {
      f.mock("a").refuseConnections(true);
      f.mock("c").nextReply(MockReply.failure(ErrorKind.SERVER_ERROR));
      LlmProvider router = f.factory.router();

      assertEquals("b", router.chat(Fixture.req("m", "hi")).await().provider());
      ResponseStream<CompletionDelta, CompletionResult> s =
          router.chatStream(Fixture.req("m", "hi"));
      s.handler(d -> {});
      assertEquals("b", s.result().await().provider());
      assertEquals("c", router.chat(Fixture.req("r", "hi")).await().provider());

      assertEquals(
          1,
          timer("llm.requests", "provider", "a", "operation", "chat", "outcome", "connection")
              .count());
      assertEquals(
          1,
          timer("llm.requests", "provider", "a", "operation", "stream", "outcome", "connection")
              .count());
      assertEquals(
          1,
          timer("llm.requests", "provider", "b", "operation", "chat", "outcome", "success")
              .count());
      assertEquals(
          1,
          timer("llm.requests", "provider", "b", "operation", "stream", "outcome", "success")
              .count());
      assertEquals(1, timer("llm.requests", "provider", "c", "outcome", "server_error").count());
      assertEquals(1, timer("llm.requests", "provider", "c", "outcome", "success").count());
      assertEquals(
          2,
          counter("llm.routing.events", "type", "failover", "provider", "a", "kind", "connection"));
      assertEquals(
          1,
          counter("llm.routing.events", "type", "retry", "provider", "c", "kind", "server_error"));
      assertEquals(
          1,
          counter(
              "llm.routing.events", "type", "breaker_open", "provider", "a", "kind", "connection"));
      assertEquals(Set.of("type", "provider", "kind"), tagKeys("llm.routing.events"));
      assertEquals(2, gauge("llm.breaker.state", "provider", "a"));
      assertEquals(0, gauge("llm.provider.up", "provider", "a"));
      assertEquals(1, gauge("llm.provider.up", "provider", "b"));
      assertEquals(
          ProviderHealth.State.COOLING_DOWN, obs.health().health("a").orElseThrow().state());
      assertEquals(ErrorKind.CONNECTION, obs.health().health("a").orElseThrow().lastErrorKind());
      assertNotNull(obs.health().health("a").orElseThrow().lastErrorAt());

      // the breaker is open: a is skipped, and that is counted too
      router.chat(Fixture.req("m", "hi")).await();
      assertEquals(
          1, counter("llm.routing.events", "type", "skipped", "provider", "a", "kind", "none"));
    }
  }

  @Test
  void loadedModelsGaugeFollowsLifecycleEvents(Vertx vertx) throws Exception {
    String host = "http://user:pw@gpu-1:11434";
    LoadedModels loaded = obs.loadedModels();
    loaded.onEvent(
        new ModelEvent(
            host, "llama3.2:latest", ModelState.LOADING, ModelState.LOADED, Instant.now(), null));
    loaded.onEvent(
        new ModelEvent(
            host, "qwen3:8b", ModelState.LOADING, ModelState.LOADED, Instant.now(), null));
    assertEquals(
        2, gauge("llm.models.loaded", "host", "http://gpu-1:11434"), "no user info in the label");

    var consumer = obs.listenModelEvents(vertx.eventBus());
    consumer.completion().await();
    vertx
        .eventBus()
        .publish(
            ModelEvent.ADDRESS,
            new ModelEvent(
                    host,
                    "qwen3:8b",
                    ModelState.UNLOADING,
                    ModelState.UNLOADED,
                    Instant.now(),
                    "idle")
                .toJson());
    long deadline = System.currentTimeMillis() + 5000;
    while (gauge("llm.models.loaded", "host", "http://gpu-1:11434") != 1
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, gauge("llm.models.loaded", "host", "http://gpu-1:11434"));
    assertEquals(Map.of("http://gpu-1:11434", List.of("llama3.2:latest")), loaded.snapshot());
    consumer.unregister().await();
  }

  @Test
  void everyMetricNameIsDocumented() {
    // The list in docs/ARCHITECTURE.md; a new meter must be added there too.
    Set<String> documented =
        Set.of(
            "llm.requests",
            "llm.stream.first.token",
            "llm.stream.inter.token",
            "llm.tokens",
            "llm.server.duration",
            "llm.tokens.per.second",
            "llm.cost",
            "llm.routing.events",
            "llm.breaker.state",
            "llm.provider.up",
            "llm.models.loaded");
    LlmProvider p = obs.decorate(new Fixture.TimedProvider());
    p.chat(Fixture.req("llama3.2", "hi")).await();
    for (Meter m : registry.getMeters()) {
      assertTrue(documented.contains(m.getId().getName()), m.getId().getName());
    }
  }
}
