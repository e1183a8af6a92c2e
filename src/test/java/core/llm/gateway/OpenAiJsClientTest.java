package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The official openai npm client (6.49.0) against the gateway, over a fake Ollama back end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiJsClientTest {
  @TempDir static Path dir;
  static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    NodeClients.assumeInstalled();
    fx = GatewayFixture.oneOllama(dir);
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
    fx.ollama().addModel(FakeModel.embedding("nomic-embed-text").embeddingLength(8));
    fx.ollama()
        .addModel(
            FakeModel.named("tooly")
                .capabilities("completion", "tools")
                .toolCall("get_weather", new JsonObject().put("city", "Paris")));
    fx.ollama()
        .addModel(
            FakeModel.named("slow")
                .reply("one two three four five six seven eight nine ten")
                .tokenDelayMs(200));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static JsonObject run(String scenario) throws Exception {
    JsonObject out = NodeClients.run("openai-client.mjs", fx.baseUrl(), scenario);
    assertNull(out.getString("failed"), () -> scenario + ": " + out);
    return out;
  }

  @Test
  void chat() throws Exception {
    JsonObject out = run("chat");
    assertEquals("Hello there, friend", out.getString("content"));
    assertEquals("stop", out.getString("finish_reason"));
    assertTrue(out.getJsonObject("usage").getInteger("completion_tokens") > 0);
  }

  @Test
  void streamedChatWithUsage() throws Exception {
    JsonObject out = run("stream");
    JsonArray parts = out.getJsonArray("parts");
    assertTrue(parts.size() > 2, parts.toString());
    StringBuilder text = new StringBuilder();
    parts.forEach(text::append);
    assertEquals("Hello there, friend", text.toString());
    assertEquals("stop", out.getString("finish_reason"));
    assertTrue(out.getJsonObject("usage").getInteger("total_tokens") > 0, out.toString());
  }

  @Test
  void toolCalls() throws Exception {
    JsonObject out = run("tools");
    JsonObject call = out.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals(
        "Paris",
        new JsonObject(call.getJsonObject("function").getString("arguments")).getString("city"));
    assertEquals("tool_calls", out.getString("finish_reason"));
  }

  @Test
  void structuredOutputReachesTheBackEndAsASchema() throws Exception {
    run("structured");
    JsonObject format = fx.ollama().lastRequest("/api/chat").json().getJsonObject("format");
    assertEquals("object", format.getString("type"));
  }

  @Test
  void embeddingsAndModels() throws Exception {
    JsonObject e = run("embed");
    assertEquals(2, e.getInteger("count"));
    assertEquals(8, e.getInteger("dims"));
    JsonObject list = run("list");
    JsonArray ids = list.getJsonArray("ids");
    assertTrue(ids.stream().anyMatch(n -> n.toString().startsWith("llama3.2")), ids.toString());
    assertEquals(ids.getString(0), list.getString("one"), "models.retrieve");
    assertEquals("NotFoundError", list.getString("missing"));
  }

  @Test
  void unknownModelIsTheNotFoundErrorTheSdkRaises() throws Exception {
    JsonObject out = run("unknown-model");
    assertEquals(404, out.getInteger("status"), out.toString());
    assertEquals("NotFoundError", out.getString("error"));
  }

  @Test
  void abortMidStreamCancelsTheBackEndRequest() throws Exception {
    int closedBefore = fx.ollama().clientClosedConnections();
    JsonObject out = run("abort");
    assertTrue(out.getJsonArray("parts").size() < 5, out.toString());
    for (int i = 0; i < 200 && fx.ollama().clientClosedConnections() <= closedBefore; i++) {
      Thread.sleep(10);
    }
    assertTrue(fx.ollama().clientClosedConnections() > closedBefore, "the back end saw the cancel");
  }

  private static JsonObject as(GatewayFixture g, String model, String key) throws Exception {
    JsonObject out =
        NodeClients.run("openai-client.mjs", g.baseUrl(), "as", model, key == null ? "" : key);
    assertNull(out.getString("failed"), out::toString);
    return out;
  }

  /** OpenAI's error body: {"error": {"message", "type", ...}}, which the SDK exposes as e.error. */
  private static String openAiMessage(JsonObject out) {
    JsonObject body = out.getJsonObject("body");
    assertTrue(body != null && body.getString("message") != null, out::toString);
    assertTrue(body.getString("type") != null, out::toString);
    return body.getString("message");
  }

  @Test
  void keyRefusalsAreTheSdksTypedErrorsInOpenAisShape() throws Exception {
    String key = GatewayFixture.TEAM_KEY;
    String limitedKey = GatewayFixture.BATCH_KEY;
    try (GatewayFixture g = GatewayFixture.keyed(dir, 1)) {
      JsonObject wrong = as(g, "llama3.2", "not-the-key-42");
      assertEquals("AuthenticationError", wrong.getString("error"), wrong.toString());
      assertEquals(401, wrong.getInteger("status"));
      assertTrue(openAiMessage(wrong).contains("gateway key"), wrong.toString());
      assertFalse(wrong.encode().contains("not-the-key-42"), "the presented key is not echoed");

      JsonObject forbidden = as(g, "qwen3", key);
      assertEquals("PermissionDeniedError", forbidden.getString("error"), forbidden.toString());
      assertEquals(403, forbidden.getInteger("status"));
      assertTrue(openAiMessage(forbidden).contains("qwen3"), forbidden.toString());
      assertFalse(forbidden.encode().contains(key), forbidden.toString());

      assertEquals("hello", as(g, "qwen3", limitedKey).getString("content"));
      JsonObject limited = as(g, "qwen3", limitedKey);
      assertEquals("RateLimitError", limited.getString("error"), limited.toString());
      assertEquals(429, limited.getInteger("status"));
      openAiMessage(limited);
      long retry = Long.parseLong(limited.getString("retry_after"));
      assertTrue(retry >= 1 && retry <= 60, limited.toString());
      assertFalse(limited.encode().contains(limitedKey), limited.toString());
      assertEquals(1, g.ollama().requests("/api/chat").size(), "refused calls were not sent");
    }
  }

  @Test
  void aDownBackEndIsServedByTheFallbackOrIsA503NamingTheModel() throws Exception {
    try (GatewayFixture g = GatewayFixture.backEndDown(dir, true)) {
      assertEquals("from the second host", as(g, "llama3.2", null).getString("content"));
    }
    try (GatewayFixture g = GatewayFixture.backEndDown(dir, false)) {
      JsonObject out = as(g, "llama3.2", null);
      assertEquals("InternalServerError", out.getString("error"), out.toString());
      assertEquals(503, out.getInteger("status"), out.toString());
      assertTrue(openAiMessage(out).contains("llama3.2"), out.toString());
    }
  }
}
