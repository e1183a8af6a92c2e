package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.Usage;
import core.llm.observability.ModelPrice;
import core.llm.observability.PriceTable;
import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and its activity figures, through the gateway's front ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardApiTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(GatewayFixture fx, String path, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(GatewayFixture fx, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String ollamaChat(String model) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":false,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static String openAiChat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  /**
   * The activity document once {@code until} holds: the meter hears of a request on the loop turn
   * after its response ended, so a client can read the figures before they include it.
   */
  private JsonObject activityWhen(GatewayFixture fx, String key, Predicate<JsonObject> until)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject last;
    do {
      HttpResponse<String> r = get(fx, "/api/v1/activity", key);
      assertEquals(200, r.statusCode(), r.body());
      last = new JsonObject(r.body());
      if (until.test(last)) {
        return last;
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the activity figures never matched: " + last.encodePrettily());
  }

  private static JsonObject named(JsonArray counts, String name) {
    for (int i = 0; i < counts.size(); i++) {
      if (name.equals(counts.getJsonObject(i).getString("name"))) {
        return counts.getJsonObject(i);
      }
    }
    throw new AssertionError(name + " is not in " + counts);
  }

  @Test
  void servesThePageAndItsAssetsWithTheirTypesAndNothingElse() throws Exception {
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      for (String path : new String[] {"/ui", "/ui/", "/ui/index.html"}) {
        HttpResponse<String> page = get(fx, path, null);
        assertEquals(200, page.statusCode(), path);
        assertTrue(
            page.headers().firstValue("content-type").orElse("").startsWith("text/html"), path);
        assertTrue(page.body().contains("<script src=\"/ui/app.js\">"), page.body());
      }
      HttpResponse<String> js = get(fx, "/ui/app.js", null);
      assertEquals(200, js.statusCode());
      assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
      assertTrue(js.body().contains("/api/v1/activity"));
      HttpResponse<String> css = get(fx, "/ui/style.css", null);
      assertEquals(200, css.statusCode());
      assertTrue(css.headers().firstValue("content-type").orElse("").startsWith("text/css"));

      HttpResponse<String> missing = get(fx, "/ui/secrets.yaml", null);
      assertEquals(404, missing.statusCode());
      assertTrue(missing.body().contains("/ui"), missing.body());
      assertEquals(404, get(fx, "/ui/%2e%2e%2fpom.xml", null).statusCode());
    }
  }

  @Test
  void countsRequestsTokensCostAndErrorsThroughBothFrontEnds() throws Exception {
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      fx.ollama().addModel(FakeModel.named("llama3.2").reply("hello there"));
      fx.obs.prices(PriceTable.of("USD", new ModelPrice(null, "llama3.2", 1000, 2000)));
      JsonObject before = activityWhen(fx, null, a -> true);
      assertEquals(0, before.getLong("requests"));
      assertNull(before.getValue("costLastMinute"), "no request priced yet: unknown, not 0");

      assertEquals(200, post(fx, "/api/chat", ollamaChat("llama3.2"), null).statusCode());
      assertEquals(
          200, post(fx, "/v1/chat/completions", openAiChat("llama3.2"), null).statusCode());
      HttpResponse<String> unknown = post(fx, "/v1/chat/completions", openAiChat("nope"), null);
      assertEquals(404, unknown.statusCode(), unknown.body());

      JsonObject a = activityWhen(fx, null, x -> x.getLong("requests") >= 3);
      assertEquals(3, a.getLong("requests"), "the dashboard's own polling is not traffic");
      assertEquals(1, a.getLong("errors"));
      assertEquals(3, a.getLong("requestsLastMinute"));
      assertTrue(a.getDouble("requestsPerSecond") > 0, a.encode());
      assertTrue(a.getLong("tokensInLastMinute") > 0, a.encode());
      assertTrue(a.getLong("tokensOutLastMinute") > 0, a.encode());
      assertTrue(a.getDouble("tokensOutPerSecond") > 0, a.encode());
      double expectedCost =
          (a.getLong("tokensInLastMinute") * 1000.0 + a.getLong("tokensOutLastMinute") * 2000.0)
              / 1e6;
      assertEquals(expectedCost, a.getDouble("costLastMinute"), 1e-9, a.encode());
      assertEquals("USD", a.getString("currency"));
      JsonArray series = a.getJsonArray("requestsPerSecondSeries");
      assertEquals(ActivityMeter.WINDOW_SECONDS, series.size());
      assertEquals(3, series.stream().mapToLong(n -> ((Number) n).longValue()).sum());

      JsonObject llama = named(a.getJsonArray("models"), "llama3.2");
      assertEquals(2, llama.getLong("requests"));
      assertEquals(0, llama.getLong("errors"));
      assertEquals(1, named(a.getJsonArray("models"), "nope").getLong("errors"));
      assertTrue(named(a.getJsonArray("providers"), "ollama").getLong("requests") >= 2);

      JsonArray errors = a.getJsonArray("recentErrors");
      assertEquals(1, errors.size(), errors.encode());
      JsonObject e = errors.getJsonObject(0);
      assertEquals("POST", e.getString("method"));
      assertEquals("/v1/chat/completions", e.getString("path"));
      assertEquals(404, e.getInteger("status"));
      assertEquals("NOT_FOUND", e.getString("kind"));
      assertEquals("openai", e.getString("api"));
      assertEquals("nope", e.getString("model"));
      assertEquals("anonymous", e.getString("key"));
      assertTrue(e.getString("time").endsWith("Z"), e.encode());
    }
  }

  @Test
  void aKeyedGatewayShowsActivityToKeysOnlyAndNamesKeysNeverQuotesThem() throws Exception {
    try (GatewayFixture fx = GatewayFixture.keyed(dir, 100)) {
      assertEquals(200, get(fx, "/ui", null).statusCode(), "the page itself holds no data");
      HttpResponse<String> refused = get(fx, "/api/v1/activity", null);
      assertEquals(401, refused.statusCode(), refused.body());
      assertEquals(401, get(fx, "/api/v1/activity", "not-a-key").statusCode());

      String key = GatewayFixture.BATCH_KEY;
      assertEquals(200, post(fx, "/api/chat", ollamaChat("llama3.2"), key).statusCode());
      assertEquals(404, post(fx, "/api/chat", ollamaChat("nope"), key).statusCode());
      JsonObject a = activityWhen(fx, GatewayFixture.TEAM_KEY, x -> x.getLong("requests") >= 2);
      JsonObject e = a.getJsonArray("recentErrors").getJsonObject(0);
      assertEquals("batch", e.getString("key"));
      assertEquals("ollama", e.getString("api"));
      assertEquals("nope", e.getString("model"));
      String text = a.encode();
      assertFalse(text.contains(GatewayFixture.BATCH_KEY), text);
      assertFalse(text.contains(GatewayFixture.TEAM_KEY), text);
    }
  }

  @Test
  void theWindowForgetsWhatIsOlderThanAMinuteAndMemoryStaysBounded() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicLong now = new AtomicLong(1_000_000_000L);
      ActivityMeter meter =
          new ActivityMeter(
              vertx, () -> PriceTable.of(null, new ModelPrice(null, "m0", 1_000_000, 0)), now::get);
      for (int i = 0; i < 5; i++) {
        meter.requestEnded(ok("m0", 10, 1), 200);
      }
      now.addAndGet(30_000);
      meter.requestEnded(ok("m0", 10, 1), 200);
      JsonObject a = meter.snapshot().await();
      assertEquals(6, a.getLong("requestsLastMinute"));
      assertEquals(60, a.getLong("tokensInLastMinute"));
      assertEquals(60.0, a.getDouble("costLastMinute"), 1e-9);
      assertEquals(31, a.getLong("windowSeconds"), "a young gateway averages over its age");

      now.addAndGet(31_000);
      a = meter.snapshot().await();
      assertEquals(1, a.getLong("requestsLastMinute"), "the first five are over a minute old");
      assertEquals(10.0, a.getDouble("costLastMinute"), 1e-9);
      assertEquals(60, a.getLong("windowSeconds"));

      now.addAndGet(60_000);
      a = meter.snapshot().await();
      assertEquals(0, a.getLong("requestsLastMinute"));
      assertNull(a.getValue("costLastMinute"));
      assertEquals(6, a.getLong("requests"), "totals since start stay");

      for (int i = 0; i < ActivityMeter.MAX_NAMES + 10; i++) {
        RequestNotes n = ok("model-" + i, 1, 1);
        n.failure =
            new LlmException(ErrorKind.SERVER_ERROR, "upstream 500 number " + i, null, null);
        meter.requestEnded(n, 502);
      }
      a = meter.snapshot().await();
      JsonArray models = a.getJsonArray("models");
      assertEquals(ActivityMeter.MAX_NAMES + 1, models.size(), "caller-chosen names are capped");
      // m0 holds one of the names already: 49 of the new ones fit, 11 go to (other)
      assertEquals(11, named(models, ActivityMeter.OTHER).getLong("requests"));
      JsonArray errors = a.getJsonArray("recentErrors");
      assertEquals(ActivityMeter.MAX_ERRORS, errors.size());
      String newest = "model-" + (ActivityMeter.MAX_NAMES + 9);
      assertEquals(newest, errors.getJsonObject(0).getString("model"), "newest first");
      assertEquals("SERVER_ERROR", errors.getJsonObject(0).getString("kind"));
      assertFalse(errors.encode().contains("upstream 500"), "no message: it may quote a prompt");
    } finally {
      vertx.close().await();
    }
  }

  private static RequestNotes ok(String model, int in, int out) {
    RequestNotes n = new RequestNotes();
    n.method = "POST";
    n.path = "/api/chat";
    n.api = "ollama";
    n.model = model;
    n.provider = "ollama";
    n.usage = Usage.of(in, out);
    return n;
  }
}
