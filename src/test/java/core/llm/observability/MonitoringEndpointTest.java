package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorKind;
import core.llm.providers.mock.MockReply;
import core.llm.providers.ollama.ModelEvent;
import core.llm.providers.ollama.ModelState;
import core.llm.testing.OnContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring document over a real HTTP request, through a host's Vert.x Web router. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class MonitoringEndpointTest {
  static final String KEY = "sk-planted-0123456789abcdef0123";
  @TempDir Path dir;

  @Test
  void answersJsonOverHttp(Vertx vertx) throws Exception {
    Observability obs =
        Observability.builder()
            .metrics(MetricsSink.NOOP)
            .requestLog(false)
            .prices(PriceTable.of("USD", new ModelPrice(null, "m", 1, 2)))
            .build();
    try (Fixture f = new Fixture(vertx, dir, obs, Map.of("PLANTED_KEY", KEY))) {
      f.mock("a").nextReply(MockReply.text("hello there").withUsage(10, 2));
      f.factory.router().chat(Fixture.req("m", "hi")).await();
      f.mock("c").nextReply(MockReply.failure(ErrorKind.BAD_REQUEST));
      try {
        f.factory.router().chat(Fixture.req("r", "hi")).await();
      } catch (RuntimeException expected) {
        // a bad request: c answered, so it stays up
      }
      obs.loadedModels()
          .onEvent(
              new ModelEvent(
                  "http://gpu:11434",
                  "m:latest",
                  ModelState.LOADING,
                  ModelState.LOADED,
                  Instant.now(),
                  null));

      Router router = Router.router(vertx);
      router
          .get("/llm/status")
          .handler(new MonitoringHandler(new MonitoringReport(f.factory, f.configs, obs)));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
      HttpClient client = vertx.createHttpClient();
      try {
        HttpClientResponse[] head = new HttpClientResponse[1];
        Buffer body =
            OnContext.run(
                    vertx,
                    () ->
                        client
                            .request(
                                HttpMethod.GET, server.actualPort(), "127.0.0.1", "/llm/status")
                            .compose(req -> req.send())
                            .compose(
                                r -> {
                                  head[0] = r;
                                  return r.body();
                                }))
                .await();
        HttpClientResponse resp = head[0];
        assertEquals(200, resp.statusCode());
        assertTrue(resp.getHeader("Content-Type").startsWith("application/json"));
        assertFalse(body.toString().contains(KEY));
        JsonObject json = body.toJsonObject();

        assertEquals("a", json.getString("defaultProvider"));
        JsonArray providers = json.getJsonArray("providers");
        assertEquals(3, providers.size());
        JsonObject a = providers.getJsonObject(0);
        assertEquals("a", a.getString("name"));
        assertEquals("mock", a.getString("type"));
        assertEquals("CLOSED", a.getString("breaker"));
        assertEquals("UP", a.getJsonObject("health").getString("state"));
        assertEquals(
            "UNKNOWN", providers.getJsonObject(1).getJsonObject("health").getString("state"));
        JsonObject c = providers.getJsonObject(2).getJsonObject("health");
        assertEquals("UP", c.getString("state"));
        assertEquals("BAD_REQUEST", c.getString("lastErrorKind"));
        assertEquals(
            new JsonObject().put("other-model", "b").put("m", "a"),
            json.getJsonObject("modelMapping"));
        assertEquals(new JsonObject().put("fast", "m"), json.getJsonObject("aliases"));
        assertEquals(
            new JsonArray().add("m:latest"),
            json.getJsonObject("loadedModels").getJsonArray("http://gpu:11434"));
        JsonArray usage = json.getJsonArray("usage");
        assertEquals(2, usage.size());
        JsonObject am = usage.getJsonObject(0);
        assertEquals("a", am.getString("provider"));
        assertEquals(10, am.getLong("promptTokens"));
        assertEquals(2, am.getLong("completionTokens"));
        assertEquals((10 * 1 + 2 * 2) / 1e6, am.getDouble("cost"), 1e-12);
        JsonObject cr = usage.getJsonObject(1);
        assertEquals(1, cr.getLong("errors"));
        assertTrue(
            cr.containsKey("cost") && cr.getValue("cost") == null, "no price: cost null, not 0");
        assertEquals(2, json.getJsonObject("totals").getLong("requests"));
        assertEquals("USD", json.getString("currency"));

        HttpClientResponse post =
            OnContext.run(
                    vertx,
                    () ->
                        client
                            .request(
                                HttpMethod.POST, server.actualPort(), "127.0.0.1", "/llm/status")
                            .compose(req -> req.send()))
                .await();
        assertEquals(405, post.statusCode(), "the router refuses other methods before the handler");
      } finally {
        client.close().await();
        server.close().await();
      }
    }
  }

  @Test
  void plainCoreHandlerWithoutVertxWeb(Vertx vertx) throws Exception {
    Observability obs = Observability.builder().metrics(MetricsSink.NOOP).requestLog(false).build();
    try (Fixture f = new Fixture(vertx, dir, obs, Map.of("PLANTED_KEY", KEY))) {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  new MonitoringHttpHandler(new MonitoringReport(f.factory, f.configs, obs)))
              .listen(0)
              .await();
      HttpClient client = vertx.createHttpClient();
      try {
        JsonObject json =
            OnContext.run(
                    vertx,
                    () ->
                        client
                            .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                            .compose(req -> req.send())
                            .compose(HttpClientResponse::body))
                .await()
                .toJsonObject();
        assertEquals(3, json.getJsonArray("providers").size());
        assertNull(json.getString("currency"));
        assertEquals(0, json.getJsonArray("usage").size());
      } finally {
        client.close().await();
        server.close().await();
      }
    }
  }
}
