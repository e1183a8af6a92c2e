package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CapabilityMissingException;
import core.llm.common.CompletionRequest;
import core.llm.common.Thinking;
import core.llm.common.ToolDefinition;
import core.llm.providers.base.ModelControl;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OllamaProviderLifecycleTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaProvider provider;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("plain").capabilities("completion").reply("Hi"));
    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    provider =
        new OllamaProvider(
            "local", client, ModelLifecycle.create(vertx, client, new LifecycleOptions()));
  }

  @AfterEach
  void stop() {
    provider.close().await();
    server.close().await();
    vertx.close().await();
  }

  @Test
  void toolsOnAModelWithoutToolsFailFastBeforeChatIsSent() {
    ToolDefinition tool =
        new ToolDefinition("f", "d", new ObjectMapper().createObjectNode().put("type", "object"));
    CompletionRequest request = CompletionRequest.builder("plain").user("hi").tool(tool).build();
    Throwable error = assertFails(provider.chat(request));
    CapabilityMissingException missing = assertInstanceOf(CapabilityMissingException.class, error);
    assertEquals("tools", missing.capability());
    assertTrue(server.requests("/api/chat").isEmpty(), "nothing sent to /api/chat");
  }

  @Test
  void modelControlLoadsAndUnloadsThroughTheLifecycle() {
    ModelControl control = provider.modelControl().orElseThrow();
    control.load("plain").await();
    assertEquals(List.of("plain:latest"), control.loadedModels().await());
    control.unload("plain").await();
    assertFalse(server.models().isLoaded("plain"));
    assertEquals(
        "Hi",
        provider.chat(CompletionRequest.builder("plain").user("hi").build()).await().content());
  }

  @Test
  void anInvalidRequestIsAFailedStreamNotAThrow() {
    CompletionRequest request =
        CompletionRequest.builder("plain").user("hi").think(Thinking.budget(2048)).build();
    var stream = provider.chatStream(request);
    io.vertx.core.Promise<Throwable> failure = io.vertx.core.Promise.promise();
    stream.exceptionHandler(failure::complete).handler(d -> {});
    assertInstanceOf(core.llm.common.BadRequestException.class, failure.future().await());
    assertInstanceOf(
        core.llm.common.BadRequestException.class, assertFails(provider.chat(request)));
    assertTrue(server.requests("/api/chat").isEmpty(), "nothing sent");
  }

  @Test
  void startRunsThePollCloseStopsItAndALateStartArmsNothing() {
    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    LifecycleOptions polling =
        new LifecycleOptions().setReconcileInterval(java.time.Duration.ofMillis(20));
    OllamaProvider p =
        new OllamaProvider("polling", client, ModelLifecycle.create(vertx, client, polling));
    p.start().await();
    int before = server.requests("/api/ps").size();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.requests("/api/ps").size() < before + 2 && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    assertTrue(server.requests("/api/ps").size() >= before + 2, "started: the poll runs");

    p.close().await();
    assertEquals(
        -1, ((ModelLifecycleImpl) p.lifecycle().orElseThrow()).timerId(), "close() stops the poll");
    vertx.timer(300).await(); // a poll already under way may still land
    int after = server.requests("/api/ps").size();
    vertx.timer(300).await(); // a live 20 ms timer would poll about 15 times here
    assertEquals(after, server.requests("/api/ps").size(), "no poll after close");

    OllamaClient other =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    ModelLifecycle late = ModelLifecycle.create(vertx, other, polling);
    OllamaProvider q = new OllamaProvider("closed", other, late);
    q.close().await();
    q.start().await(); // as a reload's eager start racing the retirement of the same provider
    assertEquals(
        -1, ((ModelLifecycleImpl) late).timerId(), "a start() after close() arms no timer");
  }

  @Test
  void providerWithoutLifecycleOffersNoModelControl() {
    assertTrue(new OllamaProvider("x", provider.client()).modelControl().isEmpty());
  }
}
