package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The official @anthropic-ai/sdk npm client (1.16.0) against the gateway, over a fake Ollama. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnthropicJsClientTest {
  @TempDir static Path dir;
  static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    NodeClients.assumeInstalled();
    fx = GatewayFixture.oneOllama(dir);
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
    fx.ollama()
        .addModel(
            FakeModel.named("qwen3")
                .capabilities("completion", "thinking")
                .thinking("Let me think")
                .reply("Four"));
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
    JsonObject out = NodeClients.run("anthropic-client.mjs", fx.baseUrl(), scenario);
    assertNull(out.getString("failed"), () -> scenario + ": " + out);
    return out;
  }

  @Test
  void chat() throws Exception {
    JsonObject out = run("chat");
    assertEquals("Hello there, friend", out.getString("content"));
    assertEquals("end_turn", out.getString("stop_reason"));
    assertTrue(out.getJsonObject("usage").getInteger("output_tokens") > 0, out.toString());
    assertTrue(out.getString("id").startsWith("msg_"));
  }

  @Test
  void streamedChatIsWhatTheBackEndProduced() throws Exception {
    JsonObject out = run("stream");
    JsonArray parts = out.getJsonArray("parts");
    assertTrue(parts.size() > 2, parts.toString());
    StringBuilder text = new StringBuilder();
    parts.forEach(text::append);
    assertEquals("Hello there, friend", text.toString());
    assertEquals("Hello there, friend", out.getString("content"));
    assertEquals("end_turn", out.getString("stop_reason"));
    assertTrue(out.getJsonObject("usage").getInteger("input_tokens") > 0, out.toString());
    assertTrue(out.getJsonObject("usage").getInteger("output_tokens") > 0, out.toString());
    List<Object> events = out.getJsonArray("events").getList();
    assertEquals("message_start", events.get(0));
    assertEquals("message_stop", events.get(events.size() - 1));
  }

  @Test
  void thinkingArrivesAsAThinkingBlock() throws Exception {
    JsonObject out = run("thinking");
    assertEquals(List.of("thinking", "text"), out.getJsonArray("blocks").getList());
    assertEquals("Let me think", out.getString("thinking"));
    assertEquals("Four", out.getString("content"));
    assertFalse(out.getJsonArray("thinking_parts").isEmpty());
  }

  @Test
  void toolUseWholeAndStreamedAndTheResultSentBack() throws Exception {
    JsonObject out = run("tools");
    assertEquals("tool_use", out.getString("stop_reason"));
    for (String f : List.of("tool_use", "streamed_tool_use")) {
      JsonObject call = out.getJsonObject(f);
      assertEquals("get_weather", call.getString("name"), out.toString());
      assertEquals("Paris", call.getJsonObject("input").getString("city"), out.toString());
    }
    assertEquals("Hello there!", out.getString("after_result"));
    JsonArray sent = fx.ollama().lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals("tool", sent.getJsonObject(2).getString("role"), sent.encode());
    assertEquals("sunny", sent.getJsonObject(2).getString("content"));
  }

  @Test
  void structuredOutputReachesTheBackEndAsASchema() throws Exception {
    run("structured");
    JsonObject format = fx.ollama().lastRequest("/api/chat").json().getJsonObject("format");
    assertEquals("object", format.getString("type"));
  }

  @Test
  void countTokensAndModels() throws Exception {
    int n = run("count").getInteger("input_tokens");
    assertTrue(n >= 100 && n < 200, "an estimate of 400 characters: " + n);
    JsonObject list = run("list");
    JsonArray ids = list.getJsonArray("ids");
    // pages of one, followed by the SDK through has_more and last_id
    assertTrue(ids.size() >= 4, ids.toString());
    assertTrue(ids.stream().anyMatch(n2 -> n2.toString().startsWith("llama3.2")), ids.toString());
    assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
    assertEquals(ids.getString(0), list.getString("one"));
  }

  @Test
  void unknownModelIsTheNotFoundErrorTheSdkRaises() throws Exception {
    JsonObject out = run("unknown-model");
    assertEquals(404, out.getInteger("status"), out.toString());
    assertEquals("NotFoundError", out.getString("error"));
    assertEquals("not_found_error", out.getString("type"));
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
        NodeClients.run("anthropic-client.mjs", g.baseUrl(), "as", model, key == null ? "" : key);
    assertNull(out.getString("failed"), out::toString);
    return out;
  }

  /** Anthropic's error body {"type":"error","error":{"type","message"}}, the SDK's e.error. */
  private static String errorType(JsonObject out) {
    JsonObject body = out.getJsonObject("body");
    assertTrue(body != null && "error".equals(body.getString("type")), out::toString);
    JsonObject e = body.getJsonObject("error");
    assertFalse(e.getString("message").isEmpty(), out::toString);
    return e.getString("type");
  }

  @Test
  void keyRefusalsAreTheSdksTypedErrorsInAnthropicsShape() throws Exception {
    String key = GatewayFixture.TEAM_KEY;
    String limitedKey = GatewayFixture.BATCH_KEY;
    try (GatewayFixture g = GatewayFixture.keyed(dir, 1)) {
      JsonObject wrong = as(g, "llama3.2", "not-the-key-42");
      assertEquals("AuthenticationError", wrong.getString("error"), wrong.toString());
      assertEquals(401, wrong.getInteger("status"));
      assertEquals("authentication_error", errorType(wrong));
      assertFalse(wrong.encode().contains("not-the-key-42"), "the presented key is not echoed");

      JsonObject forbidden = as(g, "qwen3", key);
      assertEquals("PermissionDeniedError", forbidden.getString("error"), forbidden.toString());
      assertEquals("permission_error", errorType(forbidden));
      assertFalse(forbidden.encode().contains(key), forbidden.toString());

      assertEquals("hello", as(g, "qwen3", limitedKey).getString("content"));
      JsonObject limited = as(g, "qwen3", limitedKey);
      assertEquals("RateLimitError", limited.getString("error"), limited.toString());
      assertEquals("rate_limit_error", errorType(limited));
      long retry = Long.parseLong(limited.getString("retry_after"));
      assertTrue(retry >= 1 && retry <= 60, limited.toString());
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
      assertEquals("ServiceUnavailableError", out.getString("error"), out.toString());
      assertEquals(503, out.getInteger("status"), out.toString());
      assertEquals("api_error", errorType(out));
      assertTrue(out.getString("message").contains("llama3.2"), out.toString());
    }
  }
}
