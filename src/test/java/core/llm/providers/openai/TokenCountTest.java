package core.llm.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.TokenCount;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenCountTest {
  private Vertx vertx;
  private OpenAiProvider openai;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    openai =
        OpenAiProvider.create(
            vertx, new OpenAiOptions().setBaseUrl("http://127.0.0.1:9/v1").setApiKey("k"));
  }

  @AfterEach
  void stop() {
    openai.close().await();
    vertx.close().await();
  }

  @Test
  void openAisOwnModelsAreCountedWithTheirEncoding() {
    TokenCount c =
        openai.countTokens(CompletionRequest.builder("gpt-4o").user("Hello world").build()).await();
    // "Hello" " world" in o200k_base, 3 for the message's framing, 3 for the reply's priming
    assertEquals(new TokenCount(8, true, "o200k_base"), c);
    TokenCount old =
        openai
            .countTokens(CompletionRequest.builder("gpt-3.5-turbo").user("Hello world").build())
            .await();
    assertEquals("cl100k_base", old.method());
    assertTrue(old.exact());
  }

  @Test
  void otherModelsOfAnOpenAiCompatibleServerAreAMarkedEstimate() {
    TokenCount c =
        openai
            .countTokens(
                CompletionRequest.builder("Qwen/Qwen3-8B")
                    .system("Be brief.")
                    .user("x".repeat(400))
                    .build())
            .await();
    assertFalse(c.exact());
    assertEquals("estimate", c.method());
    // 409 characters at four a token, plus four per message
    assertEquals(103 + 8, c.tokens());
  }
}
