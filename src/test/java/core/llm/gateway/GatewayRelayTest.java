package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed {@code /api/chat} from an Ollama client to an Ollama back end: the back end's lines
 * reach the client byte for byte (fields the neutral types do not know included), an in-band error
 * becomes exactly one error line, and an alias is answered under the name the client asked for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayRelayTest {
  @TempDir Path dir;
  GatewayFixture fx;
  HttpClient http;

  @BeforeEach
  void start() throws Exception {
    fx =
        GatewayFixture.start(
            dir,
            1,
            """
            providers:
              - name: ollama
                type: ollama
                baseUrl: ${ollama0}
            aliases: { chat: llama3.2 }
            """);
    fx.ollama().addModel(FakeModel.named("llama3.2").reply("Hello there, friend"));
    http = fx.vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    http.close().await();
    fx.close();
  }

  /** The gateway's reply to a streamed chat for {@code model}: status and body as bytes. */
  private record Reply(int status, String contentType, String body) {}

  private Reply chat(String model) {
    String request =
        new JsonObject()
            .put("model", model)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
            .encode();
    return http.request(HttpMethod.POST, fx.gateway.port(), "127.0.0.1", "/api/chat")
        .compose(r -> r.send(request))
        .compose(
            (HttpClientResponse r) ->
                r.body()
                    .map(
                        b ->
                            new Reply(
                                r.statusCode(),
                                r.getHeader("content-type"),
                                b.toString(StandardCharsets.UTF_8))))
        .await();
  }

  private static String lines(List<String> json) {
    return String.join("\n", json) + "\n";
  }

  @Test
  void theBackEndsLinesReachTheClientByteForByte() {
    // fields the neutral types do not carry (logprobs, an unknown key), and writes cut mid-line
    JsonObject first = new JsonObject(Chunks.chatChunk("llama3.2", "Hel"));
    first.put(
        "logprobs",
        new JsonArray().add(new JsonObject().put("token", "Hel").put("logprob", -0.25)));
    JsonObject second = new JsonObject(Chunks.chatChunk("llama3.2", "lo")).put("x_trace", "a1");
    String last = Chunks.chatFinal("llama3.2", "", "stop", Chunks.metrics());
    String body = lines(List.of(first.encode(), second.encode(), last));
    fx.ollama()
        .script(
            "/api/chat",
            Script.create()
                .raw(body.substring(0, 40))
                .delay(15)
                .raw(body.substring(40, body.length() - 25))
                .delay(15)
                .raw(body.substring(body.length() - 25))
                .end());

    Reply reply = chat("llama3.2");

    assertEquals(200, reply.status());
    assertEquals("application/x-ndjson", reply.contentType());
    assertEquals(body, reply.body());
  }

  @Test
  void anInBandErrorBecomesExactlyOneErrorLineAfterTheLinesBeforeIt() {
    String first = Chunks.chatChunk("llama3.2", "Hel");
    fx.ollama()
        .script("/api/chat", Script.lines(first, Chunks.errorLine("CUDA error: out of memory")));

    Reply reply = chat("llama3.2");

    assertEquals(200, reply.status(), "the head went out with the first line");
    String[] got = reply.body().split("\n");
    assertEquals(2, got.length, reply.body());
    assertEquals(first, got[0]);
    JsonObject error = new JsonObject(got[1]);
    assertEquals(List.of("error"), List.copyOf(error.fieldNames()));
    assertTrue(error.getString("error").contains("out of memory"), got[1]);
  }

  @Test
  void anAliasIsAnsweredUnderTheNameTheClientAsked() {
    Reply reply = chat("chat");

    assertEquals(200, reply.status());
    StringBuilder text = new StringBuilder();
    String[] got = reply.body().split("\n");
    for (String line : got) {
      JsonObject o = new JsonObject(line);
      assertEquals("chat", o.getString("model"), line);
      text.append(o.getJsonObject("message").getString("content"));
    }
    assertEquals("Hello there, friend", text.toString());
    assertEquals(Boolean.TRUE, new JsonObject(got[got.length - 1]).getBoolean("done"));
    assertEquals("llama3.2", fx.ollama().lastRequest("/api/chat").json().getString("model"));
  }

  @Test
  void aBufferedBodyThenTheEndIsStillOneWellFormedStream() {
    // the whole reply in one write: one piece, ended with the done line and nothing after it
    Buffer one = Buffer.buffer();
    String a = Chunks.chatChunk("llama3.2", "a");
    String last = Chunks.chatFinal("llama3.2", "", "stop", Chunks.metrics());
    one.appendString(lines(List.of(a, last)));
    fx.ollama().script("/api/chat", Script.create().raw(one).end());

    assertEquals(lines(List.of(a, last)), chat("llama3.2").body());
  }
}
