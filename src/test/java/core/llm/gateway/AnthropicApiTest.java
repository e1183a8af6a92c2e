package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Anthropic's Messages API of the gateway, over a fake Ollama back end, on the wire. */
@Timeout(60)
class AnthropicApiTest {
  @TempDir Path dir;
  GatewayFixture fx;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    fx = GatewayFixture.oneOllama(dir);
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, boolean anthropic) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + path)).timeout(Duration.ofSeconds(20));
    if (anthropic) {
      b.header("anthropic-version", "2023-06-01");
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String s) throws Exception {
    return Bodies.JSON.readTree(s);
  }

  private static String body(String model, String extra) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":256,\"system\":\"be brief\","
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]"
        + extra
        + "}";
  }

  /** The events of an SSE body as [name, data] pairs; each data's type must be its name. */
  private static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, block);
      assertTrue(lines[0].startsWith("event: "), block);
      assertTrue(lines[1].startsWith("data: "), block);
      JsonNode data = json(lines[1].substring(6));
      assertEquals(lines[0].substring(7), data.path("type").asText(), block);
      out.add(data);
    }
    return out;
  }

  /**
   * Anthropic's stream grammar: message_start first, message_delta then message_stop last, and each
   * content block started, given deltas and stopped before the next one starts.
   */
  private static void assertWellFormed(List<JsonNode> ev) {
    List<String> t = types(ev);
    assertEquals("message_start", t.get(0), t.toString());
    assertEquals("message_delta", t.get(t.size() - 2), t.toString());
    assertEquals("message_stop", t.get(t.size() - 1), t.toString());
    int open = -1;
    int next = 0;
    for (JsonNode e : ev.subList(1, ev.size() - 2)) {
      int index = e.path("index").asInt();
      switch (e.path("type").asText()) {
        case "content_block_start" -> {
          assertEquals(-1, open, "a block starts while another is open: " + t);
          assertEquals(next++, index, t.toString());
          open = index;
        }
        case "content_block_delta" -> assertEquals(open, index, "a delta outside its block");
        case "content_block_stop" -> {
          assertEquals(open, index, "a stop for a block that is not open: " + t);
          open = -1;
        }
        default -> throw new AssertionError("unexpected event " + e);
      }
    }
    assertEquals(-1, open, "a block is never stopped: " + t);
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  @Test
  void wholeMessage() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/messages",
            body("llama3.2", ",\"top_k\":7,\"stop_sequences\":[\"END\"],\"temperature\":0.2"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertTrue(b.path("id").asText().startsWith("msg_"), r.body());
    assertEquals("message", b.path("type").asText());
    assertEquals("assistant", b.path("role").asText());
    assertEquals("llama3.2", b.path("model").asText());
    assertEquals(1, b.path("content").size(), r.body());
    assertEquals("text", b.path("content").get(0).path("type").asText());
    assertEquals("Hello there, friend", b.path("content").get(0).path("text").asText());
    assertEquals("end_turn", b.path("stop_reason").asText());
    assertTrue(b.path("stop_sequence").isNull());
    assertTrue(b.path("usage").path("input_tokens").asInt() > 0, r.body());
    assertTrue(b.path("usage").path("output_tokens").asInt() > 0, r.body());

    JsonObject sent = fx.ollama().lastRequest("/api/chat").json();
    JsonArray messages = sent.getJsonArray("messages");
    assertEquals("system", messages.getJsonObject(0).getString("role"));
    assertEquals("be brief", messages.getJsonObject(0).getString("content"));
    assertEquals("hi", messages.getJsonObject(1).getString("content"));
    JsonObject options = sent.getJsonObject("options");
    assertEquals(7, options.getInteger("top_k"), sent.encode());
    assertEquals(256, options.getInteger("num_predict"), sent.encode());
    assertEquals("END", options.getJsonArray("stop").getString(0), sent.encode());
  }

  @Test
  void streamedMessageIsAnthropicsEventSequence() throws Exception {
    HttpResponse<String> r = post("/v1/messages", body("llama3.2", ",\"stream\":true"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<JsonNode> ev = events(r.body());
    assertWellFormed(ev);
    List<String> types = types(ev);
    assertEquals("message_start", types.get(0));
    assertEquals("content_block_start", types.get(1));
    assertEquals("content_block_stop", types.get(types.size() - 3), types.toString());
    assertEquals("message_delta", types.get(types.size() - 2));
    assertEquals("message_stop", types.get(types.size() - 1));
    assertTrue(types.subList(2, types.size() - 3).stream().allMatch("content_block_delta"::equals));
    assertTrue(types.size() > 6, "streamed in several deltas: " + types);

    JsonNode start = ev.get(0).path("message");
    assertTrue(start.path("id").asText().startsWith("msg_"));
    assertTrue(start.path("content").isEmpty());
    assertEquals("text", ev.get(1).path("content_block").path("type").asText());
    StringBuilder text = new StringBuilder();
    for (JsonNode e : ev.subList(2, ev.size() - 3)) {
      assertEquals(0, e.path("index").asInt());
      assertEquals("text_delta", e.path("delta").path("type").asText());
      text.append(e.path("delta").path("text").asText());
    }
    assertEquals("Hello there, friend", text.toString());
    JsonNode delta = ev.get(ev.size() - 2);
    assertEquals("end_turn", delta.path("delta").path("stop_reason").asText());
    assertTrue(delta.path("usage").path("output_tokens").asInt() > 0, delta.toString());
    assertTrue(delta.path("usage").path("input_tokens").asInt() > 0, delta.toString());
  }

  @Test
  void thinkingIsItsOwnBlockBeforeTheText() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("qwen3")
                .capabilities("completion", "thinking")
                .thinking("Let me think")
                .reply("Four"));
    HttpResponse<String> r =
        post(
            "/v1/messages", body("qwen3", ",\"stream\":true,\"thinking\":{\"type\":\"adaptive\"}"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(true, fx.ollama().lastRequest("/api/chat").json().getValue("think"));
    List<JsonNode> ev = events(r.body());
    assertWellFormed(ev);
    StringBuilder thinking = new StringBuilder();
    StringBuilder text = new StringBuilder();
    List<String> blocks = new ArrayList<>();
    for (JsonNode e : ev) {
      switch (e.path("type").asText()) {
        case "content_block_start" -> {
          assertEquals(blocks.size(), e.path("index").asInt());
          blocks.add(e.path("content_block").path("type").asText());
        }
        case "content_block_delta" -> {
          JsonNode d = e.path("delta");
          if (d.path("type").asText().equals("thinking_delta")) {
            assertEquals(0, e.path("index").asInt());
            thinking.append(d.path("thinking").asText());
          } else {
            assertEquals(1, e.path("index").asInt());
            text.append(d.path("text").asText());
          }
        }
        default -> {}
      }
    }
    assertEquals(List.of("thinking", "text"), blocks);
    assertEquals("Let me think", thinking.toString());
    assertEquals("Four", text.toString());

    JsonNode whole =
        json(post("/v1/messages", body("qwen3", ",\"thinking\":{\"type\":\"adaptive\"}")).body());
    assertEquals("thinking", whole.path("content").get(0).path("type").asText(), whole.toString());
    assertEquals("Let me think", whole.path("content").get(0).path("thinking").asText());
    assertEquals("Four", whole.path("content").get(1).path("text").asText());
  }

  @Test
  void toolUseAndToolResultsRoundTrip() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("tooly")
                .capabilities("completion", "tools")
                .toolCall("get_weather", new JsonObject().put("city", "Paris")));
    String tools =
        ",\"tools\":[{\"name\":\"get_weather\",\"description\":\"weather\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
    HttpResponse<String> r = post("/v1/messages", body("tooly", tools));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertEquals("tool_use", b.path("stop_reason").asText(), r.body());
    JsonNode call = b.path("content").get(b.path("content").size() - 1);
    assertEquals("tool_use", call.path("type").asText(), r.body());
    assertEquals("get_weather", call.path("name").asText());
    assertEquals("Paris", call.path("input").path("city").asText());
    String id = call.path("id").asText();
    assertFalse(id.isEmpty());

    HttpResponse<String> s = post("/v1/messages", body("tooly", tools + ",\"stream\":true"));
    List<JsonNode> ev = events(s.body());
    assertWellFormed(ev);
    JsonNode start =
        ev.stream()
            .filter(e -> e.path("type").asText().equals("content_block_start"))
            .filter(e -> e.path("content_block").path("type").asText().equals("tool_use"))
            .findFirst()
            .orElseThrow();
    assertEquals("tool_use", start.path("content_block").path("type").asText(), s.body());
    StringBuilder args = new StringBuilder();
    ev.stream()
        .filter(e -> e.path("delta").path("type").asText().equals("input_json_delta"))
        .forEach(e -> args.append(e.path("delta").path("partial_json").asText()));
    assertEquals("Paris", json(args.toString()).path("city").asText(), s.body());
    assertEquals("tool_use", ev.get(ev.size() - 2).path("delta").path("stop_reason").asText());

    String history =
        "{\"model\":\"llama3.2\",\"max_tokens\":100,\"messages\":["
            + "{\"role\":\"user\",\"content\":\"weather?\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\""
            + id
            + "\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
            + id
            + "\",\"content\":\"sunny\"},{\"type\":\"text\",\"text\":\"and so?\"}]}]}";
    assertEquals(200, post("/v1/messages", history).statusCode());
    JsonArray sent = fx.ollama().lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals(4, sent.size(), sent.encode());
    JsonObject assistant = sent.getJsonObject(1);
    assertEquals("assistant", assistant.getString("role"));
    assertEquals(
        "get_weather",
        assistant
            .getJsonArray("tool_calls")
            .getJsonObject(0)
            .getJsonObject("function")
            .getString("name"));
    assertEquals("tool", sent.getJsonObject(2).getString("role"));
    assertEquals("sunny", sent.getJsonObject(2).getString("content"));
    assertEquals("get_weather", sent.getJsonObject(2).getString("tool_name"), sent.encode());
    assertEquals("and so?", sent.getJsonObject(3).getString("content"));
  }

  @Test
  void outputFormatReachesTheBackEndAsASchema() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/messages",
            body(
                "llama3.2",
                ",\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":"
                    + "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}}"));
    assertEquals(200, r.statusCode(), r.body());
    Object format = fx.ollama().lastRequest("/api/chat").json().getValue("format");
    assertNotNull(format, "format sent to Ollama");
    assertTrue(format.toString().contains("integer"), format.toString());
  }

  @Test
  void errorsAreAnthropicsShapeAndStatus() throws Exception {
    HttpResponse<String> r = post("/v1/messages", body("no-such-model", ""));
    assertEquals(404, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertEquals("error", b.path("type").asText());
    assertEquals("not_found_error", b.path("error").path("type").asText());
    assertTrue(b.path("error").path("message").asText().contains("no-such-model"), r.body());

    int sentBefore = fx.ollama().requests("/api/chat").size();
    for (String bad :
        List.of(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            body("llama3.2", ",\"tool_choice\":{\"type\":\"any\"}"),
            body("llama3.2", ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web\"}]"),
            body("llama3.2", ",\"thinking\":{\"type\":\"enabled\"}"),
            "{\"model\":\"llama3.2\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"http://x/y.png\"}}]}]}",
            "{\"model\":\"llama3.2\",\"max_tokens\":5,\"messages\":[]}",
            "not json")) {
      HttpResponse<String> e = post("/v1/messages", bad);
      assertEquals(400, e.statusCode(), bad + " -> " + e.body());
      JsonNode eb = json(e.body());
      assertEquals("invalid_request_error", eb.path("error").path("type").asText(), e.body());
      assertFalse(eb.path("error").path("message").asText().isEmpty());
    }
    assertEquals(sentBefore, fx.ollama().requests("/api/chat").size(), "nothing sent upstream");
  }

  @Test
  void countTokens() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/messages/count_tokens",
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(400)
                + "\"}]}");
    assertEquals(200, r.statusCode(), r.body());
    int n = json(r.body()).path("input_tokens").asInt();
    assertTrue(n >= 100 && n < 200, r.body());
    assertEquals(0, fx.ollama().requests("/api/chat").size(), "counting generates nothing");
  }

  @Test
  void modelListInAnthropicsShapeUnderItsHeader() throws Exception {
    fx.ollama().addModel(FakeModel.named("qwen3").reply("x"));
    JsonNode all = json(get("/v1/models", true).body());
    assertFalse(all.path("has_more").asBoolean(), all.toString());
    List<String> ids = new ArrayList<>();
    all.path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertTrue(ids.size() >= 2, all.toString());
    JsonNode first = all.path("data").get(0);
    assertEquals("model", first.path("type").asText());
    assertFalse(first.path("display_name").asText().isEmpty());
    assertFalse(first.path("created_at").asText().isEmpty());
    assertEquals(ids.get(0), all.path("first_id").asText());
    assertEquals(ids.get(ids.size() - 1), all.path("last_id").asText());

    JsonNode page = json(get("/v1/models?limit=1", true).body());
    assertEquals(1, page.path("data").size());
    assertTrue(page.path("has_more").asBoolean());
    JsonNode next = json(get("/v1/models?limit=1&after_id=" + ids.get(0), true).body());
    assertEquals(ids.get(1), next.path("data").get(0).path("id").asText(), next.toString());
    assertEquals(400, get("/v1/models?limit=0", true).statusCode());

    assertEquals("list", json(get("/v1/models", false).body()).path("object").asText());

    String id = ids.get(0);
    JsonNode one = json(get("/v1/models/" + id, true).body());
    assertEquals(id, one.path("id").asText(), one.toString());
    HttpResponse<String> missing = get("/v1/models/no-such-model", true);
    assertEquals(404, missing.statusCode());
    assertEquals("not_found_error", json(missing.body()).path("error").path("type").asText());
  }

  @Test
  void keysAreReadFromXApiKeyAndRefusalsAreAnthropicsErrors() throws Exception {
    try (GatewayFixture g = GatewayFixture.keyed(dir, 1)) {
      GatewayFixture saved = fx;
      fx = g;
      try {
        HttpResponse<String> wrong =
            post("/v1/messages", body("llama3.2", ""), "x-api-key", "not-the-key-42");
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals(
            "authentication_error", json(wrong.body()).path("error").path("type").asText());
        assertFalse(wrong.body().contains("not-the-key-42"));

        HttpResponse<String> forbidden =
            post("/v1/messages", body("qwen3", ""), "x-api-key", GatewayFixture.TEAM_KEY);
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertEquals(
            "permission_error", json(forbidden.body()).path("error").path("type").asText());

        String key = GatewayFixture.BATCH_KEY;
        assertEquals(200, post("/v1/messages", body("qwen3", ""), "x-api-key", key).statusCode());
        HttpResponse<String> limited = post("/v1/messages", body("qwen3", ""), "x-api-key", key);
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("rate_limit_error", json(limited.body()).path("error").path("type").asText());
        long retry = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, limited.body());
      } finally {
        fx = saved;
      }
    }
  }
}
