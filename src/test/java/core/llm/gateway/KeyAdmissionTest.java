package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Gateway keys: stored as hashes, checked per request, with models and a per-minute limit. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyAdmissionTest {
  static final String KEY = GatewayFixture.TEAM_KEY;
  static final String LIMITED = GatewayFixture.BATCH_KEY;

  @TempDir Path dir;
  GatewayFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = GatewayFixture.keyed(dir, 3);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private HttpResponse<String> chat(String model, String header, String value) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/api/chat"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (header != null) {
      b.header(header, value);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noKeyOrAWrongKeyIs401AndNothingGoesUpstream() throws Exception {
    HttpResponse<String> none = chat("llama3.2", null, null);
    assertEquals(401, none.statusCode());
    assertTrue(new JsonObject(none.body()).getString("error").contains("Authorization: Bearer"));
    HttpResponse<String> wrong = chat("llama3.2", "Authorization", "Bearer not-the-key");
    assertEquals(401, wrong.statusCode());
    assertFalse(wrong.body().contains("not-the-key"), "the presented key is not echoed");
    assertTrue(fx.ollama().requests("/api/chat").isEmpty());
  }

  @Test
  void theRightKeyByEitherHeaderIsLetIn() throws Exception {
    assertEquals(200, chat("llama3.2", "Authorization", "Bearer " + KEY).statusCode());
    assertEquals(200, chat("llama3.2", "x-api-key", KEY).statusCode());
  }

  @Test
  void aModelTheKeyMayNotUseIs403() throws Exception {
    HttpResponse<String> r = chat("qwen3", "Authorization", "Bearer " + KEY);
    assertEquals(403, r.statusCode());
    assertTrue(r.body().contains("team-a"), r.body());
  }

  @Test
  void theFourthRequestInAMinuteIs429WithRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, chat("qwen3", "Authorization", "Bearer " + LIMITED).statusCode());
    }
    HttpResponse<String> r = chat("qwen3", "Authorization", "Bearer " + LIMITED);
    assertEquals(429, r.statusCode());
    long retry = Long.parseLong(r.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retry >= 1 && retry <= 60, "retry-after " + retry);
    assertEquals(3, fx.ollama().requests("/api/chat").size(), "the refused one was not sent");
  }
}
