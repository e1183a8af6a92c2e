package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import core.llm.factory.BreakerState;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderCreators;
import core.llm.factory.SharedRoutingState;
import core.llm.observability.Observability;
import core.llm.providers.config.GatewayConfig;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways in one JVM, each on its own clustered Vertx (Hazelcast members over TCP on
 * loopback), in front of the same two fake Ollama hosts and one that is down: what issue 17 asks of
 * cluster mode, end to end over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterGatewayTest {
  static final String LIMITED_KEY = "cluster-limited-key-0001";
  static final String OPEN_KEY = "cluster-open-key-0002";

  @TempDir static Path dir;

  static Vertx plain;
  static final List<FakeOllamaServer> hosts = new ArrayList<>();
  static final List<Member> members = new ArrayList<>();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One gateway instance and what it runs on. */
  record Member(
      Vertx vertx, ProviderConfigManager configs, LlmProviderFactory factory, Gateway gateway) {
    void close() {
      try {
        gateway.shutdown(Duration.ZERO).await();
        factory.close().await();
        configs.stop().await();
        vertx.close().await();
      } catch (RuntimeException e) {
        // a member killed by the test is already gone
      }
    }
  }

  @BeforeAll
  static void cluster() throws Exception {
    plain = Vertx.vertx();
    for (int i = 0; i < 2; i++) {
      FakeOllamaServer h = FakeOllamaServer.start(plain).await();
      h.addModel(FakeModel.named("llama3.2").reply("hello from " + i));
      // a load long enough that the three requests of the cold-load test meet while it runs
      h.addModel(FakeModel.named("qwen3").reply("cold " + i).loadDelayMs(600));
      h.models().preload("llama3.2", Duration.ofHours(1));
      hosts.add(h);
    }
    int down;
    try (ServerSocket s = new ServerSocket(0)) {
      down = s.getLocalPort(); // closed again: connections there are refused
    }
    int base = freePortBase();
    String yaml =
        """
        providers:
          - name: h0
            type: ollama
            baseUrl: %s
            models: [llama3.2, qwen3]
            options: { parallel: 8, lifecycle: { reconcileInterval: 200ms } }
          - name: h1
            type: ollama
            baseUrl: %s
            models: [llama3.2, qwen3]
            options: { parallel: 8, lifecycle: { reconcileInterval: 200ms } }
          - name: broken
            type: ollama
            baseUrl: http://127.0.0.1:%d
            models: [broken-model]
        routing:
          maxAttempts: 1
          breakerFailureThreshold: 3
          breakerCooldown: 10m
        gateway:
          keys:
            - name: limited
              sha256: %s
              requestsPerMinute: 60
            - name: open
              sha256: %s
          cluster:
            name: test-%s
            host: 127.0.0.1
            port: %d
            members: [127.0.0.1:%d, 127.0.0.1:%d, 127.0.0.1:%d]
        """
            .formatted(
                hosts.get(0).baseUrl(),
                hosts.get(1).baseUrl(),
                down,
                GatewayFixture.sha256Hex(LIMITED_KEY),
                GatewayFixture.sha256Hex(OPEN_KEY),
                UUID.randomUUID(),
                base,
                base,
                base + 1,
                base + 2);
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, yaml);
    for (int i = 0; i < 3; i++) {
      // the weighted draw between the two equal hosts: member 0 puts h0 first, the others h1, so
      // on their own they would load a cold model on both
      double draw = i == 0 ? 0.1 : 0.9;
      members.add(member(file, draw));
    }
    until(
        "every member hears the other two",
        Duration.ofSeconds(20),
        () -> members.stream().allMatch(m -> m.factory.sharedState().members().size() == 3));
  }

  private static Member member(Path file, double draw) throws Exception {
    var creators = ProviderCreators.discover();
    GatewayConfig.Cluster cluster =
        core.llm.providers.config.ConfigLoader.create(Map.of(), creators.keySet())
            .load(file)
            .config()
            .gateway()
            .cluster();
    Vertx vertx = ClusterVertx.start(cluster, new VertxOptions()).await();
    ProviderConfigManager configs =
        ProviderConfigManager.create(vertx, file, Map.of(), creators.keySet());
    configs.start().await();
    Observability obs = Observability.builder().requestLog(false).build();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, configs)
            .creators(creators)
            .decorator(obs.decorator())
            .random(() -> draw)
            .sharedState(SharedRoutingState.clustered(vertx, "member"))
            .build();
    factory.start().await();
    Gateway gateway =
        Gateway.create(vertx, factory, configs, new GatewayOptions().setPort(0), obs)
            .listen()
            .await();
    return new Member(vertx, configs, factory, gateway);
  }

  /** Three consecutive free ports for the members (one run must not meet another's cluster). */
  private static int freePortBase() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      boolean free = true;
      for (int p = base; p < base + 3 && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (Exception e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no three free ports in a row");
  }

  @AfterAll
  static void stop() {
    members.forEach(Member::close);
    for (FakeOllamaServer h : hosts) {
      h.close().await();
    }
    plain.close().await();
  }

  @Test
  @Order(1)
  void aKeyLimitedTo60AMinuteGetsAtMost60AcrossTheThree() throws Exception {
    // the counters' windows are the wall clock's minutes: start well inside one
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 45_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
    // the cluster's counters are exact once its partitions have settled; while members join or
    // leave, Hazelcast moves them between members and an increment can be lost (documented)
    until(
        "the cluster's partitions have settled",
        Duration.ofSeconds(60),
        () ->
            members.stream()
                .allMatch(m -> hazelcast(m.vertx).getPartitionService().isClusterSafe()));
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      sent.add(chatAsync(members.get(i % 3), LIMITED_KEY, "llama3.2"));
    }
    int ok = 0;
    int limited = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get();
      if (r.statusCode() == 200) {
        ok++;
      } else if (r.statusCode() == 429) {
        limited++;
      }
    }
    // exact while the cluster answers: the overshoot is only for members cut off from it
    assertEquals(60, ok, "admitted across the three members");
    assertEquals(30, limited);
  }

  @Test
  @Order(2)
  void aProviderThatFailsOpensItsBreakerOnAllThreeWithinOneThreshold() throws Exception {
    // one failure seen by each member: three in all, the threshold
    for (Member m : members) {
      HttpResponse<String> r = chatAsync(m, OPEN_KEY, "broken-model").get();
      assertTrue(r.statusCode() >= 500, "the broken host fails: " + r.statusCode());
    }
    until(
        "every member's breaker of 'broken' is open",
        Duration.ofSeconds(5),
        () -> members.stream().allMatch(m -> breaker(m, "broken") == BreakerState.OPEN));
  }

  private static BreakerState breaker(Member m, String provider) {
    return m.factory.availableProviders().stream()
        .filter(p -> p.name().equals(provider))
        .findFirst()
        .orElseThrow()
        .breaker();
  }

  @Test
  @Order(3)
  void aColdModelHitThroughAllThreeAtOnceIsLoadedOnce() throws Exception {
    // cold on both hosts: each member ranks them equal and would draw one at random
    assertTrue(hosts.stream().noneMatch(h -> h.models().isLoaded("qwen3")));
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (Member m : members) {
      sent.add(chatAsync(m, OPEN_KEY, "qwen3"));
    }
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      assertEquals(200, f.get().statusCode(), f.get().body());
    }
    int loads = hosts.stream().mapToInt(h -> h.models().loadCount("qwen3")).sum();
    assertEquals(1, loads, "loads of qwen3 across the two hosts");
  }

  @Test
  @Order(4)
  void killingOneMemberMidRunLosesNoRequestOnTheOthers() throws Exception {
    Member victim = members.get(0);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      if (i == 10) {
        // a crash, not a goodbye: the others find out from missing heartbeats
        // (in one JVM: its Hazelcast terminated, then its Vert.x, event bus and timers stopped)
        HazelcastInstance hz = hazelcast(victim.vertx);
        hz.getLifecycleService().terminate();
        victim.factory.close();
        victim.vertx.close();
      }
      sent.add(chatAsync(members.get(1 + i % 2), OPEN_KEY, "llama3.2"));
      if (i % 5 == 4) {
        sent.get(sent.size() - 1).get(); // keep the run going across the member's death
      }
    }
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), r.body());
    }
    until(
        "the two left see each other only",
        Duration.ofSeconds(15),
        () ->
            members.subList(1, 3).stream()
                .allMatch(m -> m.factory.sharedState().members().size() == 2));
    // and the shared limits go on between the two that are left
    HttpResponse<String> r = chatAsync(members.get(1), LIMITED_KEY, "llama3.2").get();
    assertTrue(r.statusCode() == 200 || r.statusCode() == 429, "answered: " + r.statusCode());
    JsonObject monitoring = monitoring(members.get(2));
    assertEquals(2, monitoring.getJsonObject("cluster").getJsonArray("members").size());

    // a member that comes back converges: all three count each other again
    members.set(0, member(dir.resolve("llm.yaml"), 0.1));
    until(
        "the returning member and the two others see three",
        Duration.ofSeconds(30),
        () -> members.stream().allMatch(m -> m.factory.sharedState().members().size() == 3));
    assertEquals(200, chatAsync(members.get(0), OPEN_KEY, "llama3.2").get().statusCode());
  }

  private static HazelcastInstance hazelcast(Vertx vertx) {
    return ((HazelcastClusterManager)
            ((io.vertx.core.internal.VertxInternal) vertx).clusterManager())
        .getHazelcastInstance();
  }

  private static JsonObject monitoring(Member m) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(m.gateway.baseUrl() + "/api/v1/monitoring/providers"))
                .header("authorization", "Bearer " + OPEN_KEY)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static CompletableFuture<HttpResponse<String>> chatAsync(
      Member m, String key, String model) {
    String body =
        new JsonObject()
            .put("model", model)
            .put("stream", false)
            .put(
                "messages",
                new io.vertx.core.json.JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "hi")))
            .encode();
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(m.gateway.baseUrl() + "/api/chat"))
            .header("authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void until(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
