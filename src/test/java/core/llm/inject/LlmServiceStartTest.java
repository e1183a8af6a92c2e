package core.llm.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import core.llm.common.CompletionRequest;
import core.llm.factory.LlmProviderFactory;
import core.llm.observability.MetricsSink;
import core.llm.observability.Observability;
import core.llm.observability.ObservabilityModule;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code LlmService.start()} runs in the background, against the fake Ollama server: the warm
 * list and residency policies of {@code options.lifecycle}, providers a reload adds, the
 * observability module's probe and model events; and that {@code stop()} leaves nothing running.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class LlmServiceStartTest {
  @TempDir Path dir;
  Vertx serverVertx;
  FakeOllamaServer server;
  Path file;

  @BeforeEach
  void setUp() {
    serverVertx = Vertx.vertx();
    server = FakeOllamaServer.start(serverVertx).await();
    server.addModel(FakeModel.named("llama3.2").capabilities("completion").reply("Hello"));
    server.addModel(FakeModel.named("qwen3:8b").capabilities("completion").reply("Yes."));
    file = dir.resolve("llm.yaml");
  }

  @AfterEach
  void tearDown() {
    server.close().await();
    serverVertx.close().await();
  }

  private Injector injector(Vertx vertx, Module... extra) {
    Module host =
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), Vertx.class).setBinding().toInstance(vertx);
            OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
                .setBinding()
                .toInstance(LlmSettings.ofFile(file).withEnv(Map.of()));
            OptionalBinder.newOptionalBinder(binder(), MetricsSink.class)
                .setBinding()
                .toInstance(MetricsSink.NOOP);
          }
        };
    List<Module> all = new java.util.ArrayList<>(List.of(new LlmModule(), host));
    all.addAll(List.of(extra));
    return Guice.createInjector(all);
  }

  /** One ollama provider "gpu" on the fake server with this {@code options.lifecycle} block. */
  private void writeGpuConfig(String lifecycle) throws java.io.IOException {
    Files.writeString(
        file,
        """
        providers:
          - name: gpu
            type: ollama
            baseUrl: %s
            options:
              lifecycle: %s
        """
            .formatted(server.baseUrl(), lifecycle));
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void warmListIsLoadedAtStartWithItsKeepAlive(Vertx vertx) throws Exception {
    writeGpuConfig("{ warm: [llama3.2], warmKeepAlive: forever }");
    Injector injector = injector(vertx);
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();
    injector.getInstance(LlmProviderFactory.class).start().await(); // the warm loads themselves

    assertTrue(server.models().isLoaded("llama3.2"));
    Duration left =
        Duration.between(server.clock().now(), server.models().expiresAt("llama3.2").orElseThrow());
    assertTrue(left.toDays() > 1000, "kept loaded for good, not the server's 5 minutes: " + left);
    JsonObject load = new JsonObject(server.lastRequest("/api/generate").bodyText());
    assertEquals("llama3.2:latest", load.getString("model"));
    assertEquals(-1, load.getInteger("keep_alive"));
    assertFalse(server.models().isLoaded("qwen3:8b"));
    service.stop().await();
  }

  @Test
  void idlePolicyUnloadsAndStopLeavesNoTimer(Vertx vertx) throws Exception {
    writeGpuConfig("{ idleTimeout: 300ms, reconcileInterval: 50ms }");
    Injector injector = injector(vertx);
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();
    LlmProviderFactory factory = injector.getInstance(LlmProviderFactory.class);
    assertEquals(
        "Yes.",
        factory
            .router()
            .chat(CompletionRequest.builder("qwen3:8b").user("hi").build())
            .await()
            .content());
    assertTrue(
        server.models().isLoaded("qwen3:8b"), "the chat loaded it (server keep-alive: 5 minutes)");

    until("the idle model is unloaded by the policy", () -> !server.models().isLoaded("qwen3:8b"));
    assertEquals(
        0, new JsonObject(server.lastRequest("/api/generate").bodyText()).getInteger("keep_alive"));

    service.stop().await();
    vertx.timer(300).await(); // a poll or unload already under way when stop() ran may still finish
    int polls = server.requests("/api/ps").size();
    vertx.timer(400).await(); // a live 50 ms timer would poll about 8 times in this window
    assertEquals(polls, server.requests("/api/ps").size(), "no /api/ps poll after stop()");
  }

  @Test
  void aFactoryThatWasNotStartedRunsNoBackgroundWork(Vertx vertx) throws Exception {
    writeGpuConfig("{ warm: [llama3.2], reconcileInterval: 50ms }");
    Injector injector = injector(vertx);
    injector.getInstance(core.llm.providers.config.ProviderConfigManager.class).start().await();
    LlmProviderFactory factory =
        injector.getInstance(LlmProviderFactory.class); // as the CLI uses it
    assertEquals(
        "Yes.",
        factory
            .router()
            .chat(CompletionRequest.builder("qwen3:8b").user("hi").build())
            .await()
            .content());
    vertx.timer(300).await();
    assertFalse(server.models().isLoaded("llama3.2"), "no warm load");
    assertEquals(0, server.requests("/api/ps").size(), "no poll");
    factory.close().await();
  }

  @Test
  void aProviderAReloadAddsIsWarmedAtOnce(Vertx vertx) throws Exception {
    Files.writeString(
        file,
        """
        providers:
          - { name: gpu, type: ollama, baseUrl: "%s" }
        reload: { pollInterval: 50ms }
        """
            .formatted(server.baseUrl()));
    Injector injector = injector(vertx);
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();
    assertFalse(server.models().isLoaded("llama3.2"));

    Files.writeString(
        file,
        """
        providers:
          - { name: gpu, type: ollama, baseUrl: "%s" }
          - { name: gpu2, type: ollama, baseUrl: "%s", options: { lifecycle: { warm: [llama3.2] } } }
        reload: { pollInterval: 50ms }
        """
            .formatted(server.baseUrl(), server.baseUrl()));
    until("the added provider warms its list", () -> server.models().isLoaded("llama3.2"));
    service.stop().await();
  }

  @Test
  void observabilityModuleProbesHealthAndFollowsModelEvents(Vertx vertx) throws Exception {
    writeGpuConfig("{ warm: [llama3.2] }");
    Injector injector = injector(vertx, new ObservabilityModule(Duration.ofMillis(100)));
    Observability obs = injector.getInstance(Observability.class);
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();

    until(
        "a probe answered",
        () -> obs.health().health("gpu").map(h -> h.lastProbeAt() != null).orElse(false));
    assertEquals("UP", obs.health().health("gpu").orElseThrow().state().name());
    until(
        "the warm load reached the loaded-models view",
        () ->
            obs.loadedModels()
                .snapshot()
                .getOrDefault(server.baseUrl(), List.of())
                .contains("llama3.2:latest"));

    service.stop().await();
    vertx.timer(300).await(); // a probe already under way when stop() ran may still finish
    int probes = server.requests("/api/version").size();
    vertx.timer(400).await(); // a live 100 ms probe would ask about 4 times in this window
    assertEquals(probes, server.requests("/api/version").size(), "no probe after stop()");
    assertTrue(obs.health().health("gpu").orElseThrow().lastProbeLatencyMs() >= 0);
  }
}
