package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.GenerationOptions;
import core.llm.common.LlmTimeoutException;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider asks for a non-streamed answer only when it is short: capped by {@code num_predict}
 * and, at the pace this host last reported for the model, within a quarter of the idle timeout.
 * Everything else streams underneath, so the idle timeout watches it. The fake server reports 750
 * µs per token ({@code eval_duration}), about 1,333 tokens per second.
 */
@Timeout(30)
class OllamaShortAnswerTest {
  private static final String MODEL = "llama3.2";
  private static final Duration IDLE = Duration.ofSeconds(4);

  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaProvider provider;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named(MODEL).capabilities("completion").reply("Hello there, friend"));
    provider = provider(new OllamaClientOptions().setIdleTimeout(IDLE));
  }

  private OllamaProvider provider(OllamaClientOptions options) {
    return new OllamaProvider(
        "local", OllamaClient.create(vertx, options.setBaseUrl(server.baseUrl())));
  }

  @AfterEach
  void stop() {
    provider.close().await();
    server.close().await();
    vertx.close().await();
  }

  private static CompletionRequest capped(int maxTokens) {
    return CompletionRequest.builder(MODEL)
        .user("hi")
        .options(GenerationOptions.builder().maxTokens(maxTokens).build())
        .build();
  }

  private List<Boolean> streamFlags() {
    return server.requests("/api/chat").stream()
        .map(RecordedRequest::json)
        .map(j -> j.getBoolean("stream"))
        .toList();
  }

  @Test
  void aCappedAnswerIsAskedForNonStreamedOnceTheModelsPaceIsKnown() {
    CompletionResult streamed = provider.chat(capped(64)).await();
    CompletionResult whole = provider.chat(capped(64)).await();

    assertEquals(List.of(true, false), streamFlags(), "the first answer taught the pace");
    assertEquals("Hello there, friend", streamed.content());
    assertEquals(streamed.content(), whole.content());
    assertEquals(streamed.finishReason(), whole.finishReason());
    // the first also loaded the model, so only the token counts are the same
    assertEquals(streamed.usage().promptTokens(), whole.usage().promptTokens());
    assertEquals(streamed.usage().completionTokens(), whole.usage().completionTokens());
  }

  @Test
  void anUncappedAnswerAlwaysStreams() {
    CompletionRequest uncapped = CompletionRequest.builder(MODEL).user("hi").build();
    provider.chat(uncapped).await();
    provider.chat(uncapped).await();

    assertEquals(List.of(true, true), streamFlags());
  }

  @Test
  void aCapTooLongForTheIdleTimeoutAtThatPaceStreams() {
    // 1,333 tokens/s: 1,000 tokens take 0.75 s, four times that is within 4 s; 2,000 are not
    provider.chat(capped(1_000)).await();
    provider.chat(capped(1_000)).await();
    provider.chat(capped(2_000)).await();

    assertEquals(List.of(true, false, true), streamFlags());
  }

  @Test
  void withoutAnIdleTimeoutEveryAnswerStreams() {
    provider.close().await();
    provider = provider(new OllamaClientOptions().setIdleTimeout(null));
    provider.chat(capped(16)).await();
    provider.chat(capped(16)).await();

    assertEquals(List.of(true, true), streamFlags(), "no idle watch: nothing says what is short");
  }

  @Test
  void theFirstByteTimeoutEndsAShortAnswerThatStalls() {
    provider.close().await();
    provider =
        provider(
            new OllamaClientOptions()
                .setIdleTimeout(Duration.ofSeconds(20))
                .setFirstByteTimeout(Duration.ofMillis(700)));
    provider.chat(capped(16)).await();
    // the same model now takes 3 tokens x 2 s before a non-streamed reply's first byte
    server.addModel(
        FakeModel.named(MODEL).capabilities("completion").reply("Hello there").tokenDelayMs(2_000));

    long start = System.nanoTime();
    Throwable error = assertFails(provider.chat(capped(16)));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertInstanceOf(LlmTimeoutException.class, error);
    assertEquals(Boolean.FALSE, server.lastRequest("/api/chat").json().getBoolean("stream"));
    assertTrue(
        elapsedMs < 5_000, "ended by the 700 ms first-byte limit, took " + elapsedMs + " ms");
    assertFalse(error.getMessage().isBlank());
  }
}
