package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Health, metrics, the monitoring document and the request log line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayOpsTest {
  static final String KEY = GatewayFixture.TEAM_KEY;

  @TempDir Path dir;

  private static HttpResponse<String> get(GatewayFixture fx, String path, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.baseUrl() + path)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> chat(GatewayFixture fx, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.baseUrl() + "/api/chat"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"llama3.2\",\"stream\":false,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveAndReadyWhenABackEndIsUp() throws Exception {
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      assertEquals(200, get(fx, "/health/live", null).statusCode());
      HttpResponse<String> ready = get(fx, "/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.body());
      JsonObject body = new JsonObject(ready.body());
      assertEquals("ready", body.getString("status"));
      assertEquals("UP", body.getJsonObject("providers").getString("ollama"));
    }
  }

  @Test
  void notReadyWhenNoBackEndAnswersAndSaysWhatToCheck() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (GatewayFixture fx =
        GatewayFixture.start(
            dir,
            0,
            """
            providers:
              - name: ollama
                type: ollama
                baseUrl: http://127.0.0.1:%d
            """
                .formatted(closed))) {
      assertEquals(200, get(fx, "/health/live", null).statusCode());
      HttpResponse<String> ready = get(fx, "/health/ready", null);
      assertEquals(503, ready.statusCode(), ready.body());
      JsonObject body = new JsonObject(ready.body());
      assertEquals("DOWN", body.getJsonObject("providers").getString("ollama"));
      assertTrue(body.getString("reason").contains("reachable"), ready.body());
    }
  }

  @Test
  void notReadyOnceShutdownBegins() throws Exception {
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      assertEquals(200, get(fx, "/health/ready", null).statusCode());
      ((GatewayImpl) fx.gateway).startDrainingForTest();
      assertEquals(503, get(fx, "/health/ready", null).statusCode());
    }
  }

  @Test
  void monitoringAndMetricsNeedTheKeyAndNeverShowIt() throws Exception {
    try (GatewayFixture fx = GatewayFixture.keyed(dir, 60)) {
      assertEquals(200, chat(fx, KEY).statusCode());
      assertEquals(401, get(fx, "/api/v1/monitoring/providers", null).statusCode());
      assertEquals(401, get(fx, "/metrics", null).statusCode());
      assertEquals(200, get(fx, "/health/ready", null).statusCode(), "health needs no key");

      HttpResponse<String> mon = get(fx, "/api/v1/monitoring/providers", KEY);
      assertEquals(200, mon.statusCode(), mon.body());
      JsonObject doc = new JsonObject(mon.body());
      JsonArray providers = doc.getJsonArray("providers");
      assertEquals("ollama", providers.getJsonObject(0).getString("name"));
      assertEquals("CLOSED", providers.getJsonObject(0).getString("breaker"));
      assertEquals("ollama", doc.getString("defaultProvider"));
      JsonObject host = doc.getJsonArray("hosts").getJsonObject(0);
      assertEquals("ollama", host.getString("provider"));
      assertTrue(host.getBoolean("refreshed"), mon.body());
      assertEquals(
          List.of("llama3.2:latest"),
          host.getJsonArray("loaded").stream()
              .map(o -> ((JsonObject) o).getString("model"))
              .toList(),
          "the model the chat loaded, from the host's /api/ps");
      assertFalse(mon.body().contains(KEY));
      assertFalse(mon.body().contains(fx.ollama().baseUrl()), "no URL in the document");

      HttpResponse<String> metrics = get(fx, "/metrics", KEY);
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      assertTrue(metrics.body().contains("llm_requests_seconds_count"), metrics.body());
      assertTrue(metrics.body().contains("provider=\"ollama\""), metrics.body());
      assertFalse(metrics.body().contains(KEY));
      // the gateway's own requests, by front end and status (the 401s above included)
      assertTrue(
          metrics
              .body()
              .contains(
                  "llm_gateway_requests_seconds_count{api=\"ollama\",status=\"200\",stream=\"false\"}"),
          metrics.body());
      assertTrue(
          metrics.body().contains("llm_gateway_requests_seconds_count{api=\"ops\",status=\"401\""),
          metrics.body());
    }
  }

  @Test
  void oneLogLinePerRequestNamesTheKeyNotTheKeyItself() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = capturing(lines);
    RequestLogLine.LOG.addHandler(capture);
    try (GatewayFixture fx = GatewayFixture.keyed(dir, 60)) {
      assertEquals(200, chat(fx, KEY).statusCode());
      assertEquals(401, chat(fx, "wrong-" + KEY).statusCode());
      awaitLines(lines, 2);
      assertEquals(2, lines.size(), lines.toString());
      String ok = lines.get(0);
      assertTrue(ok.startsWith("POST /api/chat 200 api=ollama model=llama3.2"), ok);
      assertTrue(ok.contains(" provider=ollama"), ok);
      assertTrue(ok.contains(" key=team-a"), ok);
      assertTrue(ok.matches(".* in=\\d+ out=\\d+.*"), ok);
      String refused = lines.get(1);
      assertTrue(refused.startsWith("POST /api/chat 401"), refused);
      assertTrue(refused.contains("error=UNAUTHORIZED"), refused);
      for (String l : lines) {
        assertFalse(l.contains(KEY), l);
      }
    } finally {
      RequestLogLine.LOG.removeHandler(capture);
    }
  }

  @Test
  void aClientThatLeavesMidStreamIsLoggedAsGone() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = capturing(lines);
    RequestLogLine.LOG.addHandler(capture);
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      fx.ollama()
          .addModel(FakeModel.named("slow").reply("one two three four five six").tokenDelayMs(200));
      try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
        String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        s.getOutputStream()
            .write(
                ("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(StandardCharsets.UTF_8));
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.contains("\"content\"")) {
          // up to the first NDJSON line
        }
        assertTrue(line != null, "a first chunk arrived");
      }
      awaitLines(lines, 1);
      String gone = lines.get(0);
      assertTrue(gone.startsWith("POST /api/chat 200 client-gone api=ollama model=slow"), gone);
      assertTrue(gone.contains(" stream"), gone);
      assertTrue(gone.matches(".* first=\\d+\\.\\dms.*"), gone);
    } finally {
      RequestLogLine.LOG.removeHandler(capture);
    }
  }

  private static Handler capturing(List<String> lines) {
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        lines.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  /** Waits (bounded) until {@code n} lines were logged. */
  private static void awaitLines(List<String> lines, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lines.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void aLoggedModelCannotForgeALine() {
    RequestNotes n = new RequestNotes();
    n.method = "POST";
    n.path = "/api/chat";
    n.model = "llama3.2\nPOST /api/chat 200 key=admin";
    String line = RequestLogLine.line(n, 200, n.startNanos);
    assertFalse(line.contains("\n"));
    assertTrue(line.contains("model=llama3.2_POST_/api/chat_200_key=admin"), line);
  }
}
