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

/** The official ollama-js client (0.6.4) against the gateway, over a fake Ollama back end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OllamaJsClientTest {
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
    JsonObject out = NodeClients.run("ollama-client.mjs", fx.baseUrl(), scenario);
    assertNull(out.getString("failed"), () -> scenario + ": " + out);
    return out;
  }

  @Test
  void chat() throws Exception {
    JsonObject out = run("chat");
    assertEquals("Hello there, friend", out.getString("content"));
    assertEquals(true, out.getBoolean("done"));
    assertTrue(out.getInteger("eval_count") > 0);
  }

  @Test
  void streamedChatIsTheBackEndsTextChunkByChunk() throws Exception {
    JsonObject out = run("stream");
    JsonArray parts = out.getJsonArray("parts");
    assertTrue(parts.size() > 2, parts.toString());
    StringBuilder text = new StringBuilder();
    parts.forEach(p -> text.append(p));
    assertEquals("Hello there, friend", text.toString());
    assertEquals("stop", out.getString("done_reason"));
  }

  @Test
  void generate() throws Exception {
    assertEquals("Hello there, friend", run("generate").getString("response"));
  }

  @Test
  void structuredOutputReachesTheBackEndAsASchema() throws Exception {
    run("structured");
    JsonObject format = fx.ollama().lastRequest("/api/chat").json().getJsonObject("format");
    assertEquals("object", format.getString("type"));
  }

  @Test
  void toolCallsComeBackAsOllamaSendsThem() throws Exception {
    JsonObject call = run("tools").getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals(
        "Paris", call.getJsonObject("function").getJsonObject("arguments").getString("city"));
    JsonArray tools = fx.ollama().lastRequest("/api/chat").json().getJsonArray("tools");
    assertEquals("get_weather", tools.getJsonObject(0).getJsonObject("function").getString("name"));
  }

  @Test
  void embedAndList() throws Exception {
    JsonObject e = run("embed");
    assertEquals(2, e.getInteger("count"));
    assertEquals(8, e.getInteger("dims"));
    JsonArray names = run("list").getJsonArray("names");
    assertTrue(names.stream().anyMatch(n -> n.toString().startsWith("llama3.2")), names.toString());
  }

  @Test
  void unknownModelIsTheResponseErrorOllamaRaises() throws Exception {
    JsonObject out = run("unknown-model");
    assertEquals("ResponseError", out.getString("error"));
    assertEquals(404, out.getInteger("status"));
  }

  @Test
  void abortMidStreamCancelsTheBackEndRequest() throws Exception {
    int closedBefore = fx.ollama().clientClosedConnections();
    JsonObject out = run("abort");
    assertEquals("AbortError", out.getString("error"), out.toString());
    assertTrue(out.getJsonArray("parts").size() < 5, out.toString());
    // the gateway closed its connection to the back end: Ollama stops generating
    for (int i = 0; i < 200 && fx.ollama().clientClosedConnections() <= closedBefore; i++) {
      Thread.sleep(10);
    }
    assertTrue(fx.ollama().clientClosedConnections() > closedBefore, "the back end saw the cancel");
  }

  private static JsonObject as(GatewayFixture g, String model, String key) throws Exception {
    JsonObject out =
        NodeClients.run("ollama-client.mjs", g.baseUrl(), "as", model, key == null ? "" : key);
    assertNull(out.getString("failed"), out::toString);
    return out;
  }

  @Test
  void keyRefusalsAreTheResponseErrorsWithStatusAndAUsefulMessage() throws Exception {
    try (GatewayFixture g = GatewayFixture.keyed(dir, 1)) {
      JsonObject none = as(g, "llama3.2", null);
      assertEquals("ResponseError", none.getString("error"), none.toString());
      assertEquals(401, none.getInteger("status"));
      assertTrue(none.getString("message").contains("Authorization: Bearer"), none.toString());

      JsonObject wrong = as(g, "llama3.2", "not-the-key-42");
      assertEquals(401, wrong.getInteger("status"), wrong.toString());
      assertFalse(wrong.encode().contains("not-the-key-42"), "the presented key is not echoed");

      JsonObject forbidden = as(g, "qwen3", GatewayFixture.TEAM_KEY);
      assertEquals("ResponseError", forbidden.getString("error"));
      assertEquals(403, forbidden.getInteger("status"), forbidden.toString());
      assertTrue(forbidden.getString("message").contains("qwen3"), forbidden.toString());
      assertFalse(forbidden.encode().contains(GatewayFixture.TEAM_KEY), forbidden.toString());

      assertEquals("hello", as(g, "qwen3", GatewayFixture.BATCH_KEY).getString("content"));
      JsonObject limited = as(g, "qwen3", GatewayFixture.BATCH_KEY);
      assertEquals("ResponseError", limited.getString("error"));
      assertEquals(429, limited.getInteger("status"), limited.toString());
      assertFalse(limited.encode().contains(GatewayFixture.BATCH_KEY), limited.toString());
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
      assertEquals("ResponseError", out.getString("error"), out.toString());
      assertEquals(503, out.getInteger("status"), out.toString());
      assertTrue(out.getString("message").contains("llama3.2"), out.toString());
    }
  }
}
