package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.LlmException;
import core.llm.common.TokenCount;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link OllamaProvider#countTokens} end to end against the fake server's verbose /api/show. */
@Timeout(30)
class OllamaCountTokensTest {
  private static final List<String> PIECES =
      List.of(
          "system",
          "Ċ",
          "h",
          "i",
          "hi",
          "user",
          "hello",
          "assistant", // 0-7
          "<|im_start|>",
          "<|im_end|>",
          "<|endoftext|>"); // 8-10

  static final String CHATML =
      "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n"
          + "{{ end }}<|im_start|>assistant\n";

  /** A Qwen-like vocabulary: byte-level BPE, qwen2 split, ChatML specials, no BOS. */
  static JsonObject chatmlInfo() {
    return new JsonObject()
        .put("general.architecture", "qwen2")
        .put("tokenizer.ggml.model", "gpt2")
        .put("tokenizer.ggml.pre", "qwen2")
        .put("tokenizer.ggml.tokens", new JsonArray(PIECES))
        .put(
            "tokenizer.ggml.token_type", OllamaModelTokensTest.types(PIECES, PIECES.subList(8, 11)))
        .put("tokenizer.ggml.merges", new JsonArray().add("h i"))
        .put("tokenizer.ggml.eos_token_id", 9)
        .put("tokenizer.ggml.add_bos_token", false);
  }

  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaProvider provider;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("qwen").template(CHATML).modelInfo(chatmlInfo()));
    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    provider = new OllamaProvider("local", client);
  }

  @AfterEach
  void stop() {
    provider.close().await();
    server.close().await();
    vertx.close().await();
  }

  private static CompletionRequest systemHiUserHello(String model) {
    return CompletionRequest.builder(model).system("hi").user("hello").build();
  }

  @Test
  void chatmlCountIsExactWithTheTemplatesOverhead() {
    // <|im_start|> system Ċ hi <|im_end|> Ċ | <|im_start|> user Ċ hello <|im_end|> Ċ |
    // <|im_start|> assistant Ċ  = 6 + 6 + 3 = 15 (qwen2 cuts "system\nhi" into system, \n, hi)
    TokenCount c = provider.countTokens(systemHiUserHello("qwen")).await();
    assertEquals(new TokenCount(15, true, "ollama-vocabulary"), c);
    assertEquals(Boolean.TRUE, server.lastRequest("/api/show").json().getValue("verbose"));
  }

  @Test
  void theModelfilesSystemPromptCountsWhenTheRequestHasNone() {
    server.addModel(
        FakeModel.named("qwen-sys").template(CHATML).modelInfo(chatmlInfo()).system("hi"));
    TokenCount c =
        provider.countTokens(CompletionRequest.builder("qwen-sys").user("hello").build()).await();
    assertEquals(new TokenCount(15, true, "ollama-vocabulary"), c);
  }

  @Test
  void twentyConcurrentCountsFetchTheVocabularyOnce() {
    List<Future<TokenCount>> counts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      counts.add(provider.countTokens(systemHiUserHello("qwen")));
    }
    Future.all(counts).await();
    counts.forEach(f -> assertEquals(15, f.result().tokens()));
    assertEquals(1, server.requests("/api/show").size());
  }

  @Test
  void concurrentFirstCallersShareOneFetch() {
    // straight at the counter: all 20 ask before the first reply can arrive
    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    OllamaTokenCounter counter = new OllamaTokenCounter(4);
    List<Future<TokenCount>> counts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      counts.add(counter.count(client, systemHiUserHello("qwen"), "d1"));
    }
    Future.all(counts).await();
    assertEquals(1, server.requests("/api/show").size());
    client.close().await();
  }

  @Test
  void anotherDigestFetchesAgainAndTheCacheIsBounded() {
    provider.countTokens(systemHiUserHello("qwen")).await();
    provider.countTokens(systemHiUserHello("qwen")).await();
    assertEquals(1, server.requests("/api/show").size());
    // re-pulled with other weights: a new digest in /api/tags
    server.addModel(FakeModel.named("qwen").template(CHATML).modelInfo(chatmlInfo()).weights("v2"));
    assertEquals(15, provider.countTokens(systemHiUserHello("qwen")).await().tokens());
    assertEquals(2, server.requests("/api/show").size());

    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    OllamaTokenCounter counter = new OllamaTokenCounter(2);
    for (String digest : List.of("a", "b", "c", "a")) { // a is evicted by c, the eldest
      counter.count(client, systemHiUserHello("qwen"), digest).await();
    }
    assertEquals(2 + 4, server.requests("/api/show").size());
    assertEquals(2, counter.cached());
    counter.count(client, systemHiUserHello("qwen"), "c").await(); // c is still there
    assertEquals(2 + 4, server.requests("/api/show").size());
    client.close().await();
  }

  @Test
  void aFailedFetchIsTypedAndForgottenSoTheNextCountTriesAgain() {
    server.script("/api/show", Script.jsonError(500, "model runner crashed"));
    Throwable e = OllamaStreamingTest.assertFails(provider.countTokens(systemHiUserHello("qwen")));
    assertInstanceOf(LlmException.class, e);
    assertTrue(e.getMessage().contains("model runner crashed"), e.getMessage());
    assertEquals(15, provider.countTokens(systemHiUserHello("qwen")).await().tokens());
    assertEquals(2, server.requests("/api/show").size());
  }

  @Test
  void anUnknownTokenizerKindGivesTheEstimate() {
    server.addModel(
        FakeModel.named("bert")
            .template(CHATML)
            .modelInfo(
                new JsonObject()
                    .put("tokenizer.ggml.model", "bert")
                    .put("tokenizer.ggml.tokens", new JsonArray(PIECES))));
    CompletionRequest request = systemHiUserHello("bert");
    TokenCount c = provider.countTokens(request).await();
    assertEquals(TokenCount.estimate(request), c);
  }

  @Test
  void anUnrecognisedTemplateCountsTheTextAndSaysEstimate() {
    server.addModel(FakeModel.named("raw").template("{{ .Prompt }}").modelInfo(chatmlInfo()));
    TokenCount c = provider.countTokens(systemHiUserHello("raw")).await();
    // hi (1) + hello (1) + 4 per message, no BOS
    assertEquals(10, c.tokens());
    assertFalse(c.exact());
    assertTrue(c.method().contains("chat template not recognised"), c.method());
  }

  @Test
  void aModelTheHostDoesNotHaveIsAnEstimateWithoutShow() {
    TokenCount c = provider.countTokens(systemHiUserHello("absent")).await();
    assertFalse(c.exact());
    assertTrue(c.method().contains("not installed on local"), c.method());
    assertTrue(server.requests("/api/show").isEmpty());
  }

  @Test
  void countingFromAnEventLoopBuildsTheVocabularyOnAWorker() {
    // OllamaModelTokens.from refuses to run on an event loop, so this succeeds only when the
    // counter moved the build to a worker
    Promise<TokenCount> result = Promise.promise();
    vertx.runOnContext(v -> provider.countTokens(systemHiUserHello("qwen")).onComplete(result));
    assertEquals(15, result.future().await().tokens());
  }

  @Test
  void withoutVerboseTheFakeEmptiesTheVocabulary() {
    JsonObject info = new JsonObject(provider.client().show("qwen").await().modelInfo());
    assertEquals(0, info.getJsonArray("tokenizer.ggml.tokens").size());
    assertEquals("gpt2", info.getString("tokenizer.ggml.model"));
  }
}
