package core.llm.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.FinishReason;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderContext;
import core.llm.factory.ProviderCreator;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Builds an injector the way a host application does. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class LlmModuleTest {
  @TempDir Path dir;

  /** A host-registered creator for a provider type of its own ("stub"). */
  static final class StubOllama implements ProviderCreator {
    final List<ProviderContext> contexts = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
      return "stub";
    }

    @Override
    public LlmProvider create(ProviderContext ctx) {
      contexts.add(ctx);
      return (LlmProvider)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {LlmProvider.class},
              (proxy, m, args) ->
                  switch (m.getName()) {
                    case "name" -> ctx.name();
                    case "type" -> "stub";
                    case "chat" ->
                        Future.succeededFuture(
                            new CompletionResult(
                                ctx.name(),
                                ((CompletionRequest) args[0]).model(),
                                ChatMessage.assistant("hello"),
                                FinishReason.STOP,
                                null));
                    case "close" -> {
                      closed.add(ctx.name());
                      yield Future.succeededFuture();
                    }
                    case "start" -> Future.succeededFuture();
                    case "toString" -> "stub";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    // the interface's own defaults (no residency, no model control...) as any
                    // provider that does not override them
                    default ->
                        m.isDefault()
                            ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args)
                            : Unsupported.fail(m.getName());
                  });
    }
  }

  @Test
  void hostBuildsInjectorStartsServiceAndGetsAProvider(Vertx vertx) throws Exception {
    StubOllama stub = new StubOllama();
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        providers:
          - { name: local, type: stub, baseUrl: "http://127.0.0.1:1" }
        """);
    Injector injector =
        Guice.createInjector(
            new LlmModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), Vertx.class)
                    .setBinding()
                    .toInstance(vertx);
                OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
                    .setBinding()
                    .toInstance(LlmSettings.ofFile(file).withEnv(Map.of()));
                MapBinder.newMapBinder(binder(), String.class, ProviderCreator.class)
                    .addBinding("stub")
                    .toInstance(stub);
              }
            });
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();

    LlmProviderFactory factory = injector.getInstance(LlmProviderFactory.class);
    assertSame(factory, injector.getInstance(LlmProviderFactory.class), "singleton");
    assertSame(vertx, injector.getInstance(Vertx.class), "the host's Vert.x");
    assertNotNull(injector.getInstance(OllamaClient.class));
    assertSame(
        injector.getInstance(ProviderConfigManager.class),
        injector.getInstance(ProviderConfigManager.class));

    LlmProvider local = factory.provider("local").await();
    assertEquals("local", local.name());
    assertEquals("http://127.0.0.1:1", stub.contexts.get(0).config().baseUrl());
    assertEquals(
        "hello",
        factory
            .router()
            .chat(CompletionRequest.builder("llama3.2").user("hi").build())
            .await()
            .content());
    assertEquals(
        "hello",
        factory
            .providerForModel("llama3.2")
            .compose(p -> p.chat(CompletionRequest.builder("llama3.2").user("hi").build()))
            .await()
            .content());

    service.stop().await();
    assertEquals(List.of("local"), stub.closed);
    vertx
        .timer(1)
        .await(); // the host's Vert.x is still open: the service never closes what it did not
    // create
  }

  @Test
  void defaultsWorkWithoutHostBindings() {
    Vertx serverVertx = Vertx.vertx();
    FakeOllamaServer server = FakeOllamaServer.start(serverVertx).await();
    server.addModel(
        FakeModel.named("llama3.2").capabilities("completion").reply("Hello from Ollama"));
    try {
      String host = server.baseUrl().substring("http://".length());
      Injector injector =
          Guice.createInjector(
              new LlmModule(),
              new AbstractModule() {
                @Override
                protected void configure() {
                  OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
                      .setBinding()
                      .toInstance(new LlmSettings(null, Map.of("OLLAMA_HOST", host)::get));
                }
              });
      LlmService service = injector.getInstance(LlmService.class);
      service.start().await(); // embedded default: one built-in "ollama" provider at OLLAMA_HOST
      LlmProviderFactory factory = injector.getInstance(LlmProviderFactory.class);
      LlmProvider p = factory.provider("ollama").await();
      assertEquals("ollama", p.name());
      assertEquals(
          "Hello from Ollama",
          factory
              .router()
              .chat(CompletionRequest.builder("llama3.2").user("hi").build())
              .await()
              .content());
      assertEquals(server.baseUrl(), injector.getInstance(OllamaClient.class).baseUrl());
      service
          .stop()
          .await(); // closes the provider, the OllamaClient and the default Vert.x it created
    } finally {
      server.close().await();
      serverVertx.close().await();
    }
  }

  @Test
  void aBoundSharedRoutingStateIsTheFactorysAndJoinsWhenTheServiceStarts() {
    java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    core.llm.factory.SharedRoutingState shared =
        (core.llm.factory.SharedRoutingState)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {core.llm.factory.SharedRoutingState.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  return switch (method.getName()) {
                    case "shared" -> true;
                    case "remoteInFlight" -> 0;
                    case "loadedElsewhere" -> false;
                    case "close" -> io.vertx.core.Future.succeededFuture();
                    default -> null;
                  };
                });
    Injector injector =
        Guice.createInjector(
            new LlmModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
                    .setBinding()
                    .toInstance(new LlmSettings(null, Map.of("OLLAMA_HOST", "127.0.0.1:1")::get));
                OptionalBinder.newOptionalBinder(
                        binder(), core.llm.factory.SharedRoutingState.class)
                    .setBinding()
                    .toInstance(shared);
              }
            });
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();
    assertSame(shared, injector.getInstance(LlmProviderFactory.class).sharedState());
    assertTrue(calls.contains("join"), "the factory joined the shared state: " + calls);
    service.stop().await();
    assertTrue(calls.contains("close"), "stopping the service stops sharing: " + calls);
  }

  /** A stubbed method the test did not expect to be called. */
  private static final class Unsupported {
    static Object fail(String method) {
      throw new UnsupportedOperationException(method);
    }
  }
}
