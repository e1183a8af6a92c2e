package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.observability.ModelPrice;
import core.llm.observability.PriceTable;
import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: headless Chromium driven by playwright-core (src/test/node)
 * loads /ui on a keyed gateway with some traffic, is told a key, and shows traffic, providers with
 * loaded models and the recent errors. Skips without {@code /usr/bin/chromium} or playwright-core,
 * unless {@code DASHBOARD_BROWSER_REQUIRED} is set (as .ci/run sets it when Chromium is there).
 * With {@code DASHBOARD_SCREENSHOT=path} it saves what the page showed (docs/dashboard.png).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static void assumeBrowser() {
    NodeClients.assumeInstalled();
    boolean present =
        Files.isExecutable(CHROMIUM)
            && Files.isDirectory(NodeClients.DIR.resolve("node_modules/playwright-core"));
    if (System.getenv("DASHBOARD_BROWSER_REQUIRED") != null) {
      assertTrue(
          present,
          "the dashboard test needs "
              + CHROMIUM
              + " and playwright-core (npm ci in "
              + NodeClients.DIR
              + ")");
    }
    Assumptions.assumeTrue(present, "no " + CHROMIUM + " or playwright-core: browser test skipped");
  }

  private int chat(GatewayFixture fx, String path, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(fx.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .header("Authorization", "Bearer " + GatewayFixture.BATCH_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void showsTrafficProvidersAndErrorsOnceGivenAKey() throws Exception {
    assumeBrowser();
    try (GatewayFixture fx = GatewayFixture.keyed(dir, 1000)) {
      fx.ollama().addModel(FakeModel.named("llama3.2").reply("hello from the fake ollama"));
      fx.obs.prices(
          PriceTable.of(
              "USD",
              new ModelPrice(null, "llama3.2", 0.15, 0.60),
              new ModelPrice(null, "qwen3", 0.10, 0.40)));
      for (int i = 0; i < 6; i++) {
        String model = i % 3 == 0 ? "qwen3" : "llama3.2";
        assertEquals(
            200,
            chat(
                fx,
                "/api/chat",
                "{\"model\":\""
                    + model
                    + "\",\"stream\":false,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(
            200,
            chat(
                fx,
                "/v1/chat/completions",
                "{\"model\":\""
                    + model
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
      }
      assertEquals(
          404,
          chat(
              fx,
              "/v1/chat/completions",
              "{\"model\":\"gpt-5-nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

      String shot = System.getenv("DASHBOARD_SCREENSHOT");
      JsonObject out =
          shot == null
              ? NodeClients.run("dashboard.mjs", fx.baseUrl(), GatewayFixture.TEAM_KEY)
              : NodeClients.run(
                  "dashboard.mjs",
                  fx.baseUrl(),
                  GatewayFixture.TEAM_KEY,
                  Path.of(shot).toAbsolutePath().toString());
      assertNull(out.getString("failed"), out::encodePrettily);
      assertEquals(new JsonArray(), out.getJsonArray("pageErrors"));
      assertEquals(new JsonArray(), out.getJsonArray("foreignRequests"), "works offline");
      assertTrue(out.getString("noticeWithoutKey").contains("enter a gateway key"), out::encode);
      assertTrue(out.getBoolean("keyStored"));
      assertTrue(Double.parseDouble(out.getString("requestsPerSecond")) > 0, out::encode);
      assertTrue(out.getString("cost").endsWith("USD"), out::encode);

      JsonArray providers = out.getJsonArray("providers");
      assertEquals(1, providers.size(), providers::encode);
      String ollama = providers.getString(0);
      assertTrue(ollama.startsWith("ollama"), ollama);
      assertTrue(ollama.contains("UP") && ollama.contains("CLOSED"), ollama);
      assertTrue(ollama.contains("llama3.2"), "its loaded models: " + ollama);

      JsonArray errors = out.getJsonArray("errors");
      assertEquals(1, errors.size(), errors::encode);
      String error = errors.getString(0);
      assertTrue(error.contains("404") && error.contains("gpt-5-nope"), error);
      assertTrue(error.contains("batch"), "the key's name: " + error);
      String page = out.getString("bodyText");
      assertFalse(
          page.contains(GatewayFixture.BATCH_KEY) || page.contains(GatewayFixture.TEAM_KEY));
    }
  }
}
