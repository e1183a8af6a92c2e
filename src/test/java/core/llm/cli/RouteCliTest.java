package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llm route} and the host table of {@code llm providers} with two fake Ollama hosts that
 * both list {@code llama3.2}: {@code a} (the harness's server, weight 1, so the weighted draw
 * always puts it first) and {@code b} (weight 0). Only residency, which the CLI learns from one
 * {@code /api/ps} per host, can put {@code b} first.
 */
@Timeout(20)
class RouteCliTest {
  private final CliHarness h = new CliHarness();
  private FakeOllamaServer b;
  private Path config;

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws IOException {
    b = FakeOllamaServer.start(h.vertx).await();
    b.addModel(FakeModel.named("llama3.2").contextLength(8192).reply("From b."));
    config =
        Files.writeString(
            dir.resolve("llm.yaml"),
            """
        defaultProvider: a
        providers:
          - name: a
            type: ollama
            baseUrl: %s
            weight: 1
            models: [llama3.2]
          - name: b
            type: ollama
            baseUrl: %s
            weight: 0
            models: [llama3.2]
            options: { parallel: 4 }
          - name: disabled
            type: mock
            enabled: false
        modelMapping: { ghost: disabled }
        aliases: { fast: llama3.2 }
        """
                .formatted(h.server.baseUrl(), b.baseUrl()));
  }

  @AfterEach
  void close() {
    b.close().await();
    h.close();
  }

  private static String row(String out, String provider) {
    return out.lines()
        .filter(l -> l.matches("\\d+\\s+" + provider + "\\s.*"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + provider + " in:\n" + out));
  }

  @Test
  void withoutResidencyTheWeightedOrderStands() {
    CliHarness.Result r = h.run("--config", config.toString(), "route", "llama3.2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("first: a ("), r.out());
    assertTrue(row(r.out(), "a").startsWith("1 "), r.out());
  }

  @Test
  void aModelLoadedOnBPutsBFirst() {
    b.models().preload("llama3.2", Duration.ofMinutes(5));
    CliHarness.Result r = h.run("--config", config.toString(), "route", "fast");
    assertEquals(0, r.exit(), r.err());
    String out = r.out();
    assertTrue(out.startsWith("model: llama3.2 (alias fast)"), out);
    String rowB = row(out, "b");
    assertTrue(rowB.matches("1\\s+b\\s+listed\\s+loaded\\s+8192\\s+0\\s+4\\s+0\\s+closed"), out);
    assertTrue(
        row(out, "a").matches("2\\s+a\\s+listed\\s+\\S+\\s+-\\s+0\\s+1\\s+0\\s+closed"), out);
    assertTrue(out.contains("first: b (lists the model; loaded with context 8192"), out);
    assertEquals(1, b.requests("/api/ps").size(), "one /api/ps per host");
    assertTrue(b.requests("/api/chat").isEmpty() && h.server.requests("/api/chat").isEmpty());
  }

  @Test
  void numCtxPrefersTheHostWhoseLoadedCopyMatches() {
    h.server.models().preload("llama3.2", Duration.ofMinutes(5)); // a: context 4096
    b.models().preload("llama3.2", Duration.ofMinutes(5)); // b: context 8192
    CliHarness.Result plain = h.run("--config", config.toString(), "route", "llama3.2");
    assertEquals(0, plain.exit(), plain.err());
    // both loaded, both idle: the weight decides, and the explanation says so
    assertTrue(plain.out().contains("first: a ("), plain.out());
    assertTrue(plain.out().contains("tied with b on placement"), plain.out());

    CliHarness.Result r =
        h.run("--config", config.toString(), "route", "llama3.2", "--num-ctx", "8192");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("model: llama3.2, num_ctx 8192"), r.out());
    assertTrue(row(r.out(), "b").matches("1\\s+b\\s+listed\\s+loaded\\s+8192\\s.*"), r.out());
    assertTrue(
        row(r.out(), "a").matches("2\\s+a\\s+listed\\s+loaded, other context\\s+4096\\s.*"),
        r.out());
    assertTrue(r.out().contains("first: b ("), r.out());
  }

  @Test
  void aModelNoProviderServesIsTheRoutersError() {
    CliHarness.Result r = h.run("--config", config.toString(), "route", "ghost");
    assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.out() + r.err());
    assertEquals(
        "error: No provider serves model 'ghost'. Providers considered: [disabled, a]\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void providersListsEachHostsLoadedModelsAndCapacity() {
    b.models().preload("llama3.2", Duration.ofMinutes(5));
    CliHarness.Result r = h.run("--config", config.toString(), "providers");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("HOST\\s+LOADED\\s+CAPACITY")), r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.matches("b\\s+llama3.2:latest \\(ctx 8192\\)\\s+4")),
        r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("a\\s+\\(none\\)\\s+1")), r.out());
    // this process sends nothing: an in-flight count of its own would always say 0
    assertFalse(r.out().contains("IN-FLIGHT"), r.out());
  }

  @Test
  void providersWithAGatewayShowsWhatIsInFlightThere() {
    List<MultiMap> seen = new CopyOnWriteArrayList<>();
    HttpServer gateway =
        monitoringServer(
            seen,
            200,
            new JsonObject()
                .put(
                    "hosts",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("provider", "b")
                                .put("refreshed", true)
                                .put(
                                    "loaded",
                                    new JsonArray()
                                        .add(
                                            new JsonObject()
                                                .put("model", "llama3.2:latest")
                                                .put("contextLength", 4096)))
                                .put("inFlight", 3)
                                .put("capacity", 4)))
                .encode());
    h.env.put(ProvidersCommand.GATEWAY_KEY_ENV, "sk-gateway-secret");
    CliHarness.Result r = providersWithGateway("http://127.0.0.1:" + gateway.actualPort() + "/");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(
        r.out().contains("as the gateway at http://127.0.0.1:" + gateway.actualPort()), r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.matches("HOST\\s+LOADED\\s+IN-FLIGHT\\s+CAPACITY")),
        r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.matches("b\\s+llama3.2:latest \\(ctx 4096\\)\\s+3\\s+4")),
        r.out());
    assertEquals(1, seen.size());
    assertEquals("/api/v1/monitoring/providers", seen.get(0).get(":path"));
    assertEquals("Bearer sk-gateway-secret", seen.get(0).get("authorization"));
    assertFalse((r.out() + r.err()).contains("sk-gateway-secret"));
  }

  @Test
  void aGatewayThatRefusesTheKeySaysWhichVariableToSet() {
    HttpServer gateway = monitoringServer(new CopyOnWriteArrayList<>(), 401, "{\"error\":\"no\"}");
    CliHarness.Result r = providersWithGateway("http://127.0.0.1:" + gateway.actualPort());
    assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.out() + r.err());
    assertTrue(
        r.out().contains("refused (HTTP 401): set " + ProvidersCommand.GATEWAY_KEY_ENV), r.out());
  }

  @Test
  void aGatewayThatIsNotRunningIsSaidInBoundedTime() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    CliHarness.Result r = providersWithGateway("http://user:pw@127.0.0.1:" + port);
    assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.out() + r.err());
    assertTrue(
        r.out().contains("gateway http://127.0.0.1:" + port + ": could not be reached"), r.out());
    assertFalse((r.out() + r.err()).contains("pw@"), r.out());
  }

  private CliHarness.Result providersWithGateway(String url) {
    return h.run("--config", config.toString(), "providers", "--gateway", url);
  }

  /** A stand-in for {@code llm serve}'s monitoring document; records each request's headers. */
  private HttpServer monitoringServer(List<MultiMap> seen, int status, String body) {
    return h.vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
              headers.set(":path", req.path());
              seen.add(headers);
              req.response()
                  .setStatusCode(status)
                  .putHeader("content-type", "application/json")
                  .end(body);
            })
        .listen(0, "127.0.0.1")
        .await();
  }
}
