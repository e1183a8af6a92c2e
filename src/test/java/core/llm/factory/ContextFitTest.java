package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ContextTooLongException;
import core.llm.common.GenerationOptions;
import core.llm.common.TokenCount;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routing.contextFit}: a prompt longer than the window it would run in fails naming both
 * numbers, is sent with a larger {@code num_ctx}, or goes to a context-window fallback model. The
 * counts here are the marked estimate (the fake models have no vocabulary): four characters a token
 * plus four per message.
 */
@Timeout(60)
class ContextFitTest {
  private static final String SMALL = "llama3.2";
  private static final String LONG = "qwen3";

  private Vertx vertx;
  private FakeOllamaServer local;
  private FakeOllamaServer big;
  private ProviderConfigManager config;
  private LlmProviderFactory factory;
  private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    local = FakeOllamaServer.start(vertx).await();
    big = FakeOllamaServer.start(vertx).await();
    // SMALL was trained on 8,192 tokens; LONG on 131,072 (the fake's default model_info)
    local.addModel(
        FakeModel.named(SMALL)
            .reply("small")
            .modelInfo(
                new JsonObject()
                    .put("general.architecture", "llama")
                    .put("llama.context_length", 8192)));
    big.addModel(FakeModel.named(LONG).reply("long"));
  }

  @AfterEach
  void stop() {
    if (factory != null) {
      factory.close().await();
      config.stop();
    }
    local.close().await();
    big.close().await();
    vertx.close().await();
  }

  /**
   * {@code local} serves SMALL with Ollama's default window; {@code big} serves LONG and runs
   * requests with 32,768 tokens ({@code options.contextLength}).
   */
  private void factory(String routing) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        defaultProvider: local
        providers:
          - name: local
            type: ollama
            baseUrl: %s
            models: [%s]
          - name: big
            type: ollama
            baseUrl: %s
            models: [%s]
            options: { contextLength: 32768 }
        routing:
        %s
        """
            .formatted(local.baseUrl(), SMALL, big.baseUrl(), LONG, routing.indent(2)));
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    factory = LlmProviderFactory.builder(vertx, config).listener(events::add).build();
  }

  /** A prompt of {@code chars} characters: chars / 4 + 4 tokens in the estimate. */
  private static CompletionRequest prompt(String model, int chars) {
    return CompletionRequest.builder(model).user("x".repeat(chars)).build();
  }

  private static Integer sentNumCtx(FakeOllamaServer host) {
    JsonObject options = host.lastRequest("/api/chat").json().getJsonObject("options");
    return options == null ? null : options.getInteger("num_ctx");
  }

  @Test
  void offByDefaultSendsWhateverIsAsked() throws Exception {
    factory("maxAttempts: 1");
    assertEquals("small", factory.router().chat(prompt(SMALL, 40_000)).await().content());
    assertNull(sentNumCtx(local), "no check: the request goes as asked");
    assertTrue(events.stream().noneMatch(e -> e.type() == RoutingEvent.Type.CONTEXT_RAISED));
  }

  @Test
  void failNamesBothNumbersAndSendsNothing() throws Exception {
    factory("contextFit: fail");
    ContextTooLongException e =
        assertThrows(
            ContextTooLongException.class,
            () -> factory.router().chat(prompt(SMALL, 20_000)).await());
    assertTrue(e.getMessage().contains("about 5004 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("window on 'local' is 4096 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("allows up to 8192"), e.getMessage());
    assertTrue(e.getMessage().contains("routing.contextFit to raise"), e.getMessage());
    assertEquals(java.util.OptionalInt.of(5004), e.tokens());
    assertEquals(java.util.OptionalInt.of(4096), e.window());
    assertTrue(local.requests("/api/chat").isEmpty(), "nothing sent");

    // a prompt that fits goes as it is; the request's own num_ctx is the window it asks for
    assertEquals("small", factory.router().chat(prompt(SMALL, 4_000)).await().content());
    // maxTokens needs room too: 1,004 prompt tokens and 3,500 of answer do not fit 4,096
    CompletionRequest longAnswer =
        CompletionRequest.builder(SMALL)
            .user("x".repeat(4_000))
            .options(GenerationOptions.builder().maxTokens(3_500).build())
            .build();
    ContextTooLongException answerRoom =
        assertThrows(
            ContextTooLongException.class, () -> factory.router().chat(longAnswer).await());
    assertTrue(answerRoom.getMessage().contains("4504 with the answer's maxTokens"));
    assertEquals(java.util.OptionalInt.of(4504), answerRoom.tokens());

    // the loaded copy's context is the window from now on; a larger num_ctx is the one asked
    CompletionRequest asksMore =
        CompletionRequest.builder(SMALL)
            .user("x".repeat(20_000))
            .options(GenerationOptions.builder().providerOption("num_ctx", 6000).build())
            .build();
    assertEquals("small", factory.router().chat(asksMore).await().content());
    assertEquals(6000, sentNumCtx(local));
  }

  @Test
  void raiseSendsAPowerOfTwoNumCtxUpToTheModelsLimit() throws Exception {
    factory("contextFit: raise");
    assertEquals("small", factory.router().chat(prompt(SMALL, 20_000)).await().content());
    // 5,004 tokens plus a quarter of headroom: 6,255, so 8,192 (never past the model's 8,192)
    assertEquals(8192, sentNumCtx(local));
    assertTrue(events.stream().anyMatch(e -> e.type() == RoutingEvent.Type.CONTEXT_RAISED));

    assertEquals("small", factory.router().chat(prompt(SMALL, 2_000)).await().content());
    assertNull(sentNumCtx(local), "a prompt that fits is sent as asked");

    // past the model's own limit, with no fallback: fails, and says where to go
    ContextTooLongException e =
        assertThrows(
            ContextTooLongException.class,
            () -> factory.router().chat(prompt(SMALL, 40_000)).await());
    assertTrue(e.getMessage().contains("about 10004 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("routing.contextWindowFallbacks"), e.getMessage());
  }

  @Test
  void raiseAppliesToStreamsToo() throws Exception {
    factory("contextFit: raise");
    ResponseStream<CompletionDelta, CompletionResult> stream =
        factory.router().chatStream(prompt(SMALL, 20_000));
    StringBuilder text = new StringBuilder();
    Promise<Void> ended = Promise.promise();
    stream.exceptionHandler(ended::tryFail);
    stream.handler(d -> text.append(d.content() == null ? "" : d.content()));
    stream.endHandler(ended::tryComplete);
    ended.future().await();
    assertEquals("small", text.toString());
    assertEquals(8192, sentNumCtx(local));
  }

  @Test
  void aStreamThatDoesNotFitFailsWithTheTypedError() throws Exception {
    factory("contextFit: fail");
    ResponseStream<CompletionDelta, CompletionResult> stream =
        factory.router().chatStream(prompt(SMALL, 20_000));
    Promise<Void> ended = Promise.promise();
    stream.exceptionHandler(ended::tryFail);
    stream.handler(d -> {});
    stream.endHandler(ended::tryComplete);
    Throwable e = assertThrows(Throwable.class, () -> ended.future().await());
    assertInstanceOf(ContextTooLongException.class, e);
    assertTrue(local.requests("/api/chat").isEmpty());
  }

  @Test
  void fallbackSendsToTheFirstModelWhoseWindowFits() throws Exception {
    factory(
        """
        contextFit: fallback
        contextWindowFallbacks:
          llama3.2: [%s]
        """
            .formatted(LONG));
    // 20,004 tokens: past SMALL's 4,096 window (and its 8,192 limit), within big's 32,768
    CompletionResult r = factory.router().chat(prompt(SMALL, 80_000)).await();
    assertEquals("long", r.content());
    assertEquals(LONG, big.lastRequest("/api/chat").json().getString("model"));
    assertTrue(local.requests("/api/chat").isEmpty());
    RoutingEvent fell =
        events.stream()
            .filter(e -> e.type() == RoutingEvent.Type.CONTEXT_FALLBACK)
            .findFirst()
            .orElseThrow();
    assertEquals("big", fell.provider());
    assertEquals(LONG, fell.model());

    // too long for the fallback too: fails naming the fallbacks tried
    ContextTooLongException e =
        assertThrows(
            ContextTooLongException.class,
            () -> factory.router().chat(prompt(SMALL, 200_000)).await());
    assertTrue(e.getMessage().contains("no context-window fallback [qwen3] fits"), e.getMessage());
  }

  @Test
  void aCountThatCannotBeHadDoesNotStopTheRequest() throws Exception {
    factory("contextFit: fail");
    local.close().await(); // the check cannot ask the host; the request fails as routing says
    Throwable e =
        assertThrows(Throwable.class, () -> factory.router().chat(prompt(SMALL, 20)).await());
    assertFalse(e instanceof ContextTooLongException, e.toString());
  }

  @Test
  void theRoutersCountIsTheFirstCandidatesCount() throws Exception {
    factory("contextFit: fail");
    TokenCount count = factory.router().countTokens(prompt(SMALL, 400)).await();
    assertEquals(104, count.tokens());
    assertFalse(count.exact());
  }
}
