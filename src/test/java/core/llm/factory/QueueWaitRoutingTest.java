package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.providers.base.Residency;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded copy's queue against a load elsewhere: the router measures how long a request runs and
 * how long a load takes, and a hot model spreads to a second host once waiting behind the queue
 * would take longer than loading it there, but not before.
 */
@Timeout(60)
class QueueWaitRoutingTest {
  private static final String MODEL = "llama3.2";
  private Vertx vertx;
  private final List<FakeOllamaServer> hosts = new ArrayList<>();
  private ProviderConfigManager config;
  private LlmProviderFactory factory;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (factory != null) {
      factory.close().await();
      config.stop();
    }
    hosts.forEach(h -> h.close().await());
    vertx.close().await();
  }

  /**
   * Two hosts with the model installed, one request at a time each ({@code parallel: 1}); a reply
   * of 4 tokens {@code tokenDelayMs} apart.
   */
  private void hosts(long loadMs, long tokenDelayMs) throws Exception {
    StringBuilder yaml = new StringBuilder("providers:\n");
    for (int i = 0; i < 2; i++) {
      FakeOllamaServer host = FakeOllamaServer.start(vertx).await();
      host.addModel(
          FakeModel.named(MODEL)
              .capabilities("completion")
              .reply("one two three four")
              .tokenDelayMs(tokenDelayMs)
              .loadDelayMs(loadMs));
      hosts.add(host);
      yaml.append(
          """
            - name: gpu%d
              type: ollama
              baseUrl: %s
              models: [%s]
              options: { parallel: 1, lifecycle: { reconcileInterval: 1h } }
          """
              .formatted(i, host.baseUrl(), MODEL));
    }
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, yaml);
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    factory = LlmProviderFactory.builder(vertx, config).build();
    factory.start().await();
  }

  private Future<CompletionResult> chat() {
    return factory.router().chat(CompletionRequest.builder(MODEL).user("hello").build());
  }

  private int loads() {
    return hosts.stream().mapToInt(h -> h.models().loadCount(MODEL)).sum();
  }

  /**
   * The first request loads the model on one host (a load observed), the second runs on the loaded
   * copy at once (a request's duration observed). Returns that host.
   */
  private String warmUp() {
    String first = chat().await().provider();
    assertEquals(first, chat().await().provider(), "the loaded copy served the second request");
    assertEquals(1, loads());
    assertEquals(Residency.LOADED, factory.provider(first).await().residency(MODEL));
    return first;
  }

  private List<String> burst(int n) {
    List<Future<CompletionResult>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(chat());
    }
    Future.all(all).await();
    return all.stream().map(f -> f.result().provider()).toList();
  }

  @Test
  void aHotModelSpreadsWhenItsQueueWouldTakeLongerThanALoad() throws Exception {
    hosts(50, 150); // a load of 50 ms, a request of about 600 ms
    String hot = warmUp();
    // the second of the burst would wait about 600 ms behind the first: loading it takes 50
    List<String> served = burst(3);
    assertEquals(hot, served.get(0), "the first goes to the idle loaded copy");
    assertTrue(served.stream().anyMatch(p -> !p.equals(hot)), "the queue spilled to the cold host");
    assertEquals(2, loads(), "loaded on the second host, once");
    ModelRoute.Candidate c = factory.route(MODEL, null).candidates().get(0);
    assertTrue(c.requestNanos() > 400_000_000L, "a request's observed duration: " + c);
    assertTrue(c.loadNanos() < 400_000_000L, "a load's observed duration: " + c);
  }

  @Test
  void aHotModelStaysWhileItsQueueIsShorterThanALoad() throws Exception {
    hosts(1500, 40); // a load of 1.5 s, a request of about 160 ms
    String hot = warmUp();
    // the last of the burst waits about 3 x 160 ms on the loaded copy: less than a load
    List<String> served = burst(4);
    assertEquals(List.of(hot, hot, hot, hot), served, "every request queued on the loaded copy");
    assertEquals(1, loads(), "no second load");
  }
}
