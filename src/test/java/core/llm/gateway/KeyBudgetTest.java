package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key budgets: a key's requests cost usage times the price in {@code gateway.prices}; at its budget
 * the key is refused with 429 and no Retry-After, in every front end, across a reload.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyBudgetTest {
  static final String SPENDER = "gw-spender-key-0001";
  static final String OTHER = "gw-other-key-0002";

  @TempDir Path dir;

  /**
   * llama3.2 costs $1 per prompt and per completion token, so one request (a few tokens) spends
   * more than the spender's budget of $2.5 after it; qwen3 has no price.
   */
  private static String yaml(double spenderBudget) {
    return """
        providers:
          - name: ollama
            type: ollama
            baseUrl: ${ollama0}
        gateway:
          prices:
            - model: llama3.2
              inputPerMillion: 1000000
              outputPerMillion: 1000000
          keys:
            - name: spender
              sha256: %s
              budget: %s
            - name: other
              sha256: %s
              budget: 1000
        """
        .formatted(
            GatewayFixture.sha256Hex(SPENDER), spenderBudget, GatewayFixture.sha256Hex(OTHER));
  }

  private static GatewayFixture start(Path dir) throws Exception {
    GatewayFixture g = GatewayFixture.start(dir, 1, yaml(2.5));
    g.ollama().addModel(FakeModel.named("llama3.2").reply("one two three"));
    g.ollama().addModel(FakeModel.named("qwen3").reply("free words"));
    return g;
  }

  private static HttpResponse<String> post(GatewayFixture g, String path, String body, String key)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(g.baseUrl() + path))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> ollamaChat(GatewayFixture g, String model, String key)
      throws Exception {
    return post(
        g,
        "/api/chat",
        "{\"model\":\""
            + model
            + "\",\"stream\":false,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}",
        key);
  }

  private static HttpResponse<String> openAiChat(GatewayFixture g, String model, String key)
      throws Exception {
    return post(
        g,
        "/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        key);
  }

  private static void assertOverBudget(HttpResponse<String> r, String message) {
    assertEquals(429, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("retry-after").isEmpty(), "waiting will not help");
    assertTrue(message.contains("spender"), message);
    assertTrue(message.contains("budget of $2.50"), message);
    assertTrue(message.contains("gateway.keys[].budget"), message);
    assertFalse(r.body().contains(SPENDER), "the key itself is not echoed");
  }

  @Test
  void aKeyThatSpentItsBudgetIsRefusedInEveryFrontEndAndOthersAreNot() throws Exception {
    try (GatewayFixture g = start(dir)) {
      // unpriced: free, however often
      for (int i = 0; i < 3; i++) {
        assertEquals(200, ollamaChat(g, "qwen3", SPENDER).statusCode());
      }
      assertEquals(0.0, spent(g, "spender"));
      // the request that crosses the budget completes; the next one is refused
      HttpResponse<String> priced = ollamaChat(g, "llama3.2", SPENDER);
      assertEquals(200, priced.statusCode());
      awaitSpent(g, 2.5);
      // $1 a token, in and out: exactly this request's usage, nothing from the unpriced ones
      JsonObject done = new JsonObject(priced.body());
      assertEquals(
          done.getInteger("prompt_eval_count") + done.getInteger("eval_count"),
          spent(g, "spender"),
          1e-9);
      int sent = g.ollama().requests("/api/chat").size();

      HttpResponse<String> ollama = ollamaChat(g, "qwen3", SPENDER);
      assertOverBudget(ollama, new JsonObject(ollama.body()).getString("error"));
      HttpResponse<String> openai = openAiChat(g, "llama3.2", SPENDER);
      assertOverBudget(
          openai, new JsonObject(openai.body()).getJsonObject("error").getString("message"));
      assertEquals(
          "rate_limit_error",
          new JsonObject(openai.body()).getJsonObject("error").getString("type"));
      assertEquals(sent, g.ollama().requests("/api/chat").size(), "refused calls were not sent");

      assertEquals(
          200, openAiChat(g, "llama3.2", OTHER).statusCode(), "another key spends its own");
    }
  }

  @Test
  void spendSurvivesAReloadAndARaisedBudgetLetsTheKeyIn() throws Exception {
    try (GatewayFixture g = start(dir)) {
      assertEquals(200, ollamaChat(g, "llama3.2", SPENDER).statusCode());
      awaitSpent(g, 2.5);
      assertEquals(429, ollamaChat(g, "llama3.2", SPENDER).statusCode());
      double before = spent(g, "spender");

      Files.writeString(
          g.configFile, yaml(2.5).replace("${ollama0}", g.ollama().baseUrl()) + "    # touched\n");
      assertTrue(g.configs.reload().await().isValid());
      assertEquals(429, ollamaChat(g, "llama3.2", SPENDER).statusCode(), "still spent");
      assertEquals(before, spent(g, "spender"));

      Files.writeString(
          g.configFile, yaml(before + 100).replace("${ollama0}", g.ollama().baseUrl()));
      assertTrue(g.configs.reload().await().isValid());
      assertEquals(200, ollamaChat(g, "llama3.2", SPENDER).statusCode(), "budget raised");
    }
  }

  /** The charge lands just after the answer is written: wait for it (bounded). */
  private static void awaitSpent(GatewayFixture g, double over) throws InterruptedException {
    for (int i = 0; i < 200 && spent(g, "spender") <= over; i++) {
      Thread.sleep(10);
    }
    assertTrue(spent(g, "spender") > over, "spent " + spent(g, "spender"));
  }

  private static double spent(GatewayFixture g, String name) {
    return ((KeyAdmission) ((GatewayImpl) g.gateway).admissionForTest()).spent(name);
  }
}
