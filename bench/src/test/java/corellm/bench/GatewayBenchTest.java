package corellm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's measurements and the paced fake's pace, against in-process servers. */
class GatewayBenchTest {
  @TempDir Path dir;
  Vertx vertx;
  GatewayBench bench;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (bench != null) {
      bench.client.close();
      bench.vertx.close().await();
    }
    vertx.close().await();
  }

  GatewayBench benchFor(int port) throws Exception {
    String hp = "127.0.0.1:" + port;
    bench =
        new GatewayBench(
            Map.of(
                "direct",
                hp,
                "gateway",
                hp,
                "paced",
                hp,
                "gateway-pid",
                Long.toString(ProcessHandle.current().pid()),
                "jsonl",
                Files.createFile(dir.resolve("out.jsonl")).toString(),
                "streams",
                "10"));
    return bench;
  }

  @Test
  void percentileIsNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    assertEquals(50, GatewayBench.percentile(v, 50));
    assertEquals(99, GatewayBench.percentile(v, 99));
    assertEquals(100, GatewayBench.percentile(v, 100));
    assertEquals(1, GatewayBench.percentile(new long[] {1}, 99));
    assertTrue(Double.isNaN(GatewayBench.percentile(new long[0], 50)));
  }

  @Test
  void pacedServerSendsTheFirstTokenLateThenOneEveryInterval() throws Exception {
    HttpServer server = PacedOllamaServer.start(vertx, 0, 200, 50, 20).await();
    GatewayBench b = benchFor(server.actualPort());
    CompletableFuture<GatewayBench.StreamResult> result = new CompletableFuture<>();
    long[] ended = new long[1];
    long start = System.nanoTime();
    b.loop.runOnContext(
        v ->
            b.stream(
                b.pacedDirect,
                "paced-t5-i40-f100",
                5,
                start,
                r -> {
                  ended[0] = System.nanoTime() - start;
                  result.complete(r);
                }));
    GatewayBench.StreamResult r = result.get(10, TimeUnit.SECONDS);
    assertEquals(null, r.error);
    assertEquals(5, r.tokens);
    assertTrue(r.done, "the done line came");
    assertTrue(r.firstNanos >= 100_000_000L, "first token after 100 ms: " + r.firstNanos);
    // 4 more tokens 40 ms apart, then done 40 ms later
    assertTrue(ended[0] >= 100_000_000L + 5 * 40_000_000L, "paced: " + ended[0]);
    assertTrue(ended[0] < 2_000_000_000L, "not stuck: " + ended[0]);
  }

  /**
   * A back end that stalls: every request that arrives in the first 400 ms is answered at 400 ms.
   * The generator must keep sending on schedule through the stall and charge each request the time
   * since it was due, so the stall shows in the high percentiles and not as one slow sample.
   */
  @Test
  void openLoopKeepsSendingThroughAStallAndChargesItToEveryRequestDueDuringIt() throws Exception {
    List<HttpServerRequest> held = new ArrayList<>();
    long[] firstArrival = {-1};
    Buffer reply = FastOllamaServer.unaryBody(20);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              if (firstArrival[0] < 0) {
                                firstArrival[0] = System.nanoTime();
                                vertx.setTimer(
                                    400,
                                    t -> {
                                      held.forEach(h -> h.response().end(reply));
                                      held.clear();
                                    });
                              }
                              if (System.nanoTime() - firstArrival[0] < 400_000_000L) {
                                held.add(req);
                              } else {
                                req.response().end(reply);
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await();
    GatewayBench b = benchFor(server.actualPort());
    GatewayBench.Run run = b.unary(b.direct, Buffer.buffer("{}"), 100, 1.0);
    assertEquals(100, run.sent);
    assertEquals(0, run.errors, run.lastError);
    assertEquals(100, run.lat.length);
    // about 40 requests were due during the stall, the first waiting ~400 ms, the 10th ~310 ms
    assertTrue(GatewayBench.ms(run.pct(100)) >= 380, "max " + GatewayBench.ms(run.pct(100)));
    assertTrue(GatewayBench.ms(run.pct(90)) >= 250, "p90 " + GatewayBench.ms(run.pct(90)));
    assertTrue(GatewayBench.ms(run.pct(50)) < 100, "p50 " + GatewayBench.ms(run.pct(50)));
    // and they were sent when due, not after the stall
    assertTrue(GatewayBench.ms(GatewayBench.percentile(run.lag, 99)) < 100, "send lag");
  }
}
