package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionResult;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ConfigValidator;
import core.llm.providers.config.ValidationReport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class ReloadTest {
  @TempDir Path dir;
  Harness h;

  /** Revision i: a changes every time, c comes and goes, m3's mapping switches with it. */
  static String yaml(int i) {
    boolean withC = i % 2 == 1;
    return """
        reload: { pollInterval: 20ms }
        defaultProvider: a
        providers:
          - { name: a, type: fake, models: [m], options: { rev: %d } }
          - { name: b, type: fake, models: [m2] }
        %s
        modelMapping: { m3: %s }
        """
        .formatted(i, withC ? "  - { name: c, type: fake, models: [m3] }" : "", withC ? "c" : "b");
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    h = new Harness(vertx, dir, yaml(0));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void thousandRequestsAcrossTwentyReloadsWithZeroFailures() throws Exception {
    h.fakes.defaultDelayMs = 3; // every request spans some reload
    List<Future<CompletionResult>> all = new ArrayList<>();
    String[] models = {"m", "m2", "m3", "m"};
    for (int reload = 1; reload <= 20; reload++) {
      for (int i = 0; i < 50; i++) {
        String model = models[i % models.length];
        all.add(
            i % 3 == 0
                ? h.factory.router().chatStream(Harness.req(model)).result()
                : h.factory.router().chat(Harness.req(model)));
      }
      h.rewrite(yaml(reload));
    }
    Future.join(all).await();
    long failed = all.stream().filter(Future::failed).count();
    assertEquals(
        0,
        failed,
        () -> "first failure: " + all.stream().filter(Future::failed).findFirst().get().cause());
    assertEquals(1000, all.size());
    eventually(() -> h.fakes.created.stream().filter(p -> p.closes.get() == 0).count() <= 3);
    for (FakeProvider p : h.fakes.created) {
      assertEquals(0, p.callsAfterClose.get(), p.name + " was called after close");
      assertTrue(p.closes.get() <= 1);
    }
    // Revisions 0..19 served requests; revision 20 was written after the last batch and is created
    // lazily.
    assertEquals(20, h.fakes.instances("a").size(), "a new instance of a per revision in use");
  }

  @Test
  void changedProviderDrainsInFlightRequestsBeforeClosing() throws Exception {
    Promise<Void> gate = Promise.promise();
    h.fakes.script("a", Script.ok("old").heldBy(gate));
    Future<CompletionResult> inflight = h.factory.router().chat(Harness.req("m"));
    LlmProvider handle = h.factory.provider("a").await();
    eventually(() -> h.fakes.calls("a") == 1);
    h.rewrite(yaml(2)); // a changed
    FakeProvider old = h.fakes.instances("a").get(0);

    assertEquals("ok", h.factory.router().chat(Harness.req("m")).await().content());
    assertEquals(2, h.fakes.instances("a").size(), "new requests go to the replacement");
    assertEquals(0, old.closes.get(), "the old one still has a request in flight");
    assertFalse(inflight.isComplete());

    gate.complete();
    assertEquals("old", inflight.await().content());
    eventually(() -> old.closes.get() == 1);

    // A handle taken before the reload forwards to the replacement.
    handle.chat(Harness.req("m")).await();
    assertEquals(2, h.fakes.instances("a").get(1).calls.get());
    assertSame(h.factory.provider("a").await(), h.factory.provider("a").await());
  }

  @Test
  void removedProviderFinishesItsStreamThenCloses() throws Exception {
    h.rewrite(yaml(1)); // c present
    Promise<Void> gate = Promise.promise();
    h.fakes.script("c", Script.ok("x", "y").heldBy(gate));
    Future<CompletionResult> stream = h.factory.router().chatStream(Harness.req("m3")).result();
    eventually(() -> h.fakes.calls("c") == 1);
    h.rewrite(yaml(2)); // c removed, m3 now mapped to b
    assertEquals(
        List.of("b"),
        h.factory.plan("m3", null).candidates(),
        "the default a lists other models only");
    gate.complete();
    assertEquals("xy", stream.await().content());
    eventually(() -> h.fakes.instances("c").get(0).closes.get() == 1);
  }

  @Test
  void invalidReloadKeepsTheRunningConfiguration() throws Exception {
    LlmProvider before = h.factory.provider("a").await();
    Files.writeString(
        h.file,
        """
        providers:
          - { name: a, type: antropic }
          - { name: b, type: fake, baseUrl: "ftp://x" }
        """);
    ValidationReport report = h.configs.reload().await();
    assertFalse(report.isValid());
    assertTrue(
        report.toString().contains(ConfigValidator.unknownTypeMessage("antropic", Set.of("fake"))),
        report.toString());
    assertSame(before, h.factory.provider("a").await());
    assertEquals(List.of("a"), h.factory.plan("m", null).candidates());
    assertEquals("ok", h.factory.router().chat(Harness.req("m")).await().content());
    assertEquals(0, h.fakes.instances("a").get(0).closes.get());
  }

  @Test
  void aWrittenFileTakesEffectWithoutAReloadCall() throws Exception {
    Files.writeString(h.file, yaml(1)); // no explicit reload: the watcher picks it up
    long start = System.nanoTime();
    eventually(() -> h.factory.plan("m3", null).candidates().get(0).equals("c"));
    // A loaded CI machine can miss a tight wall-clock bound (this was 1 s) with nothing wrong; that
    // the first poll after a write applies it is checked, in polls, in ProviderConfigManagerTest.
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
  }

  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met in 10s");
      }
      Thread.sleep(5);
    }
  }
}
