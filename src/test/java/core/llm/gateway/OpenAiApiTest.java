package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class OpenAiApiTest {
  @TempDir Path dir;
  GatewayFixture fx;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    fx = GatewayFixture.oneOllama(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String s) throws Exception {
    return Bodies.JSON.readTree(s);
  }

  private static String chatBody(String model, String extra) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]"
        + extra
        + "}";
  }

  @Test
  void wholeChat() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there"));
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", ""));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertEquals("chat.completion", b.path("object").asText());
    assertTrue(b.path("id").asText().startsWith("chatcmpl-"));
    assertEquals("llama3.2", b.path("model").asText());
    JsonNode choice = b.path("choices").get(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals("Hello there", choice.path("message").path("content").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertTrue(b.path("usage").path("completion_tokens").asInt() > 0, r.body());
    assertEquals(
        b.path("usage").path("prompt_tokens").asInt()
            + b.path("usage").path("completion_tokens").asInt(),
        b.path("usage").path("total_tokens").asInt());
  }

  /** The JSON payloads of an SSE body, in order ("[DONE]" as text). */
  private static List<String> events(String body) {
    List<String> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (!block.isBlank()) {
        assertTrue(block.startsWith("data: "), block);
        out.add(block.substring("data: ".length()));
      }
    }
    return out;
  }

  @Test
  void streamedChat() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
    HttpResponse<String> r =
        post(
            "/v1/chat/completions",
            chatBody("llama3.2", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
    List<String> ev = events(r.body());
    assertEquals("[DONE]", ev.get(ev.size() - 1));
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (int i = 0; i < ev.size() - 1; i++) {
      JsonNode c = json(ev.get(i));
      assertEquals("chat.completion.chunk", c.path("object").asText());
      if (i == 0) {
        assertEquals("assistant", c.path("choices").get(0).path("delta").path("role").asText());
      }
      if (c.path("choices").isEmpty()) {
        usage = c.path("usage");
        continue;
      }
      JsonNode ch = c.path("choices").get(0);
      text.append(ch.path("delta").path("content").asText(""));
      if (!ch.path("finish_reason").isNull()) {
        finish = ch.path("finish_reason").asText();
      }
    }
    assertEquals("Hello there, friend", text.toString());
    assertEquals("stop", finish);
    assertNotNull(usage, "a usage chunk with include_usage");
    assertTrue(usage.path("total_tokens").asInt() > 0);
    // the usage chunk comes last, right before [DONE]
    assertTrue(json(ev.get(ev.size() - 2)).path("choices").isEmpty());
  }

  @Test
  void reasoningEffortReachesTheBackEndAndReasoningComesBack() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("qwen3")
                .capabilities("completion", "thinking")
                .thinking("Let me think")
                .reply("Four"));
    HttpResponse<String> whole =
        post("/v1/chat/completions", chatBody("qwen3", ",\"reasoning_effort\":\"high\""));
    assertEquals(200, whole.statusCode(), whole.body());
    assertEquals("high", fx.ollama().lastRequest("/api/chat").json().getValue("think"));
    JsonNode msg = json(whole.body()).path("choices").get(0).path("message");
    assertEquals("Four", msg.path("content").asText());
    assertEquals("Let me think", msg.path("reasoning_content").asText(), whole.body());

    HttpResponse<String> streamed =
        post(
            "/v1/chat/completions",
            chatBody("qwen3", ",\"reasoning_effort\":\"low\",\"stream\":true"));
    StringBuilder reasoning = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (String e : events(streamed.body())) {
      if (!e.equals("[DONE]")) {
        JsonNode d = json(e).path("choices").get(0).path("delta");
        reasoning.append(d.path("reasoning_content").asText(""));
        text.append(d.path("content").asText(""));
      }
    }
    assertEquals("Let me think", reasoning.toString(), streamed.body());
    assertEquals("Four", text.toString());

    HttpResponse<String> bad =
        post("/v1/chat/completions", chatBody("qwen3", ",\"reasoning_effort\":\"lots\""));
    assertEquals(400, bad.statusCode(), bad.body());
  }

  @Test
  void toolCall() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("llama3.2")
                .capabilities("completion", "tools")
                .toolCall("get_weather", new JsonObject().put("city", "Paris")));
    String tools =
        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]"
            + ",\"tool_choice\":\"auto\"";
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", tools));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode choice = json(r.body()).path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText(), r.body());
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertEquals("function", call.path("type").asText());
    assertFalse(call.path("id").asText().isEmpty());
    assertEquals("get_weather", call.path("function").path("name").asText());
    assertEquals(
        "Paris", json(call.path("function").path("arguments").asText()).path("city").asText());
    assertTrue(fx.ollama().lastRequest("/api/chat").json().containsKey("tools"));
  }

  @Test
  void jsonSchemaReachesTheBackEnd() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("{\"a\":1}"));
    String rf =
        ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"thing\","
            + "\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}}";
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", rf));
    assertEquals(200, r.statusCode(), r.body());
    Object format = fx.ollama().lastRequest("/api/chat").json().getValue("format");
    assertNotNull(format, "format sent to Ollama");
    assertTrue(format.toString().contains("integer"), format.toString());
  }

  @Test
  void unknownModelIs404InOpenAiShape() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("nope", ""));
    assertEquals(404, r.statusCode(), r.body());
    JsonNode e = json(r.body()).path("error");
    assertEquals("invalid_request_error", e.path("type").asText());
    assertEquals("model_not_found", e.path("code").asText());
    assertFalse(e.path("message").asText().isEmpty());
    assertTrue(e.has("param"));
  }

  @Test
  void unsupportedFieldsAre400NotDropped() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there"));
    for (String extra :
        List.of(
            ",\"n\":2",
            ",\"logprobs\":true",
            ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"x\"}}",
            ",\"response_format\":{\"type\":\"xml\"}")) {
      HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", extra));
      assertEquals(400, r.statusCode(), extra + " -> " + r.body());
      assertEquals(
          "invalid_request_error", json(r.body()).path("error").path("type").asText(), extra);
    }
    assertEquals(0, fx.ollama().requests("/api/chat").size(), "nothing sent upstream");
    // harmless fields pass
    HttpResponse<String> ok =
        post(
            "/v1/chat/completions",
            chatBody("llama3.2", ",\"n\":1,\"user\":\"u\",\"store\":false,\"metadata\":{}"));
    assertEquals(200, ok.statusCode(), ok.body());
  }

  @Test
  void embeddings() throws Exception {
    fx.ollama().addModel(FakeModel.embedding("nomic-embed-text").embeddingLength(8));
    HttpResponse<String> r =
        post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertEquals("list", b.path("object").asText());
    assertEquals(2, b.path("data").size());
    assertEquals("embedding", b.path("data").get(1).path("object").asText());
    assertEquals(1, b.path("data").get(1).path("index").asInt());
    assertEquals(8, b.path("data").get(0).path("embedding").size());
    assertTrue(b.path("usage").has("prompt_tokens"));

    HttpResponse<String> b64 =
        post(
            "/v1/embeddings",
            "{\"model\":\"nomic-embed-text\",\"input\":\"a\",\"encoding_format\":\"base64\"}");
    assertEquals(200, b64.statusCode(), b64.body());
    byte[] raw =
        java.util.Base64.getDecoder()
            .decode(json(b64.body()).path("data").get(0).path("embedding").asText());
    assertEquals(8 * 4, raw.length);
    float first = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
    assertEquals((float) b.path("data").get(0).path("embedding").get(0).asDouble(), first, 1e-6f);
  }

  @Test
  void modelsListsTheModel() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("x"));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/v1/models"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = json(r.body());
    assertEquals("list", b.path("object").asText());
    boolean found = false;
    for (JsonNode m : b.path("data")) {
      if (m.path("id").asText().startsWith("llama3.2")) {
        found = true;
        assertEquals("model", m.path("object").asText());
        assertEquals("ollama", m.path("owned_by").asText());
      }
    }
    assertTrue(found, r.body());
  }

  @Test
  void streamedToolCall() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("llama3.2")
                .capabilities("completion", "tools")
                .toolCall("get_weather", new JsonObject().put("city", "Paris")));
    String tools =
        ",\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\"}}}]";
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", tools));
    assertEquals(200, r.statusCode(), r.body());
    List<String> ev = events(r.body());
    String name = null;
    StringBuilder args = new StringBuilder();
    String finish = null;
    for (String e : ev.subList(0, ev.size() - 1)) {
      JsonNode ch = json(e).path("choices").get(0);
      for (JsonNode t : ch.path("delta").path("tool_calls")) {
        assertEquals(0, t.path("index").asInt());
        if (t.path("function").has("name")) {
          name = t.path("function").path("name").asText();
          assertEquals("function", t.path("type").asText());
        }
        args.append(t.path("function").path("arguments").asText(""));
      }
      if (!ch.path("finish_reason").isNull()) {
        finish = ch.path("finish_reason").asText();
      }
    }
    assertEquals("get_weather", name, r.body());
    assertEquals("Paris", json(args.toString()).path("city").asText());
    assertEquals("tool_calls", finish);
  }

  @Test
  void midStreamErrorIsInBand() throws Exception {
    fx.ollama()
        .addModel(FakeModel.named("llama3.2").reply("one two three four").errorAfter(2, "boom"));
    HttpResponse<String> r = post("/v1/chat/completions", chatBody("llama3.2", ",\"stream\":true"));
    assertEquals(200, r.statusCode(), r.body());
    List<String> ev = events(r.body());
    JsonNode last = json(ev.get(ev.size() - 1));
    assertTrue(last.has("error"), r.body());
    assertFalse(last.path("error").path("message").asText().isEmpty());
    assertFalse(r.body().contains("[DONE]"));
  }

  @Test
  void modelsWithAnthropicVersionIsLeftToTheAnthropicApi() throws Exception {
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("x"));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/v1/models"))
                .timeout(Duration.ofSeconds(20))
                .header("anthropic-version", "2023-06-01")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // whatever the Anthropic front end answers, it is not OpenAI's list
    assertFalse(r.body().contains("\"object\":\"list\""), r.body());
  }

  @Test
  void clientDisconnectCancelsTheBackEnd() throws Exception {
    fx.ollama()
        .addModel(
            FakeModel.named("llama3.2")
                .reply("one two three four five six seven eight nine ten")
                .tokenDelayMs(300));
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("llama3.2", ",\"stream\":true")))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    InputStream in = r.body();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String first = reader.readLine();
    assertTrue(first.startsWith("data: "), first);
    assertEquals(0, fx.ollama().clientClosedConnections());
    in.close(); // the HttpClient closes the connection of an abandoned body
    fx.ollama()
        .awaitClientClose()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals(1, fx.ollama().clientClosedConnections());
  }
}
