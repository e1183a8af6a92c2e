package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A back end down: the router's fallback serves the request, or the client gets a clear 503. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayFailoverTest {
  @TempDir Path dir;

  private static HttpResponse<String> chat(GatewayFixture fx, String model) throws Exception {
    String body =
        new JsonObject()
            .put("model", model)
            .put("stream", false)
            .put(
                "messages",
                new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "hi")))
            .encode();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/api/chat"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDownBackEndFailsOverToTheFallback() throws Exception {
    try (GatewayFixture fx = GatewayFixture.backEndDown(dir, true)) {
      HttpResponse<String> r = chat(fx, "llama3.2");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(
          "from the second host",
          new JsonObject(r.body()).getJsonObject("message").getString("content"));
    }
  }

  @Test
  void withoutAFallbackTheClientGetsA503InOllamasShape() throws Exception {
    try (GatewayFixture fx = GatewayFixture.backEndDown(dir, false)) {
      HttpResponse<String> r = chat(fx, "llama3.2");
      assertEquals(503, r.statusCode(), r.body());
      String error = new JsonObject(r.body()).getString("error");
      assertTrue(error.contains("llama3.2"), error);
    }
  }
}
