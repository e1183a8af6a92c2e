package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorKind;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(30)
class ProviderConfigManagerTest {
  static final String KEY = ConfigLoaderTest.PLANTED_KEY;
  static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", KEY);

  @TempDir Path dir;
  ProviderConfigManager manager;

  final ConcurrentLinkedQueue<ConfigChange> changes = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<ValidationReport> failures = new ConcurrentLinkedQueue<>();

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.stop().await();
    }
  }

  static String yaml(String ollamaUrl, String extra) {
    return """
        reload: { pollInterval: 20ms }
        providers:
          - name: ollama
            type: ollama
            baseUrl: %s
          - name: openai
            type: openai
            apiKeyEnv: OPENAI_API_KEY
        %s
        """
        .formatted(ollamaUrl, extra);
  }

  private ProviderConfigManager started(Vertx vertx, Path file) {
    manager = ProviderConfigManager.create(vertx, file, ENV, null);
    manager.addListener(changes::add);
    manager.addReloadListener(
        new ConfigReloadListener() {
          @Override
          public void onReload(ConfigChange change) {}

          @Override
          public void onReloadFailed(ValidationReport report) {
            failures.add(report);
          }
        });
    manager.start().await();
    return manager;
  }

  /** Polls a condition every 10 ms; fails after the limit. */
  static void eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + limit);
      }
      Thread.sleep(10);
    }
  }

  /** Lets at least {@code n} more polls happen (the watcher's own counter). */
  static void polls(ProviderConfigManager m, int n) throws InterruptedException {
    ProviderConfigManagerImpl impl = (ProviderConfigManagerImpl) m;
    long target = impl.polls() + n;
    eventually(Duration.ofSeconds(10), () -> impl.polls() >= target);
  }

  /**
   * Replaces the watched file in one step. {@link Files#writeString} truncates first, and a poll
   * landing in between reads an empty file: a failure report no test expects.
   */
  static void replace(Path file, String text) throws IOException {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), text);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void validChangeAppliesAtTheNextPoll(Vertx vertx) throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), yaml("http://a:11434", ""));
    started(vertx, f);
    assertTrue(manager.watching());
    LlmConfig before = manager.snapshot();
    assertEquals("http://a:11434", before.provider("ollama").orElseThrow().baseUrl());
    // Counted in polls, not wall-clock time (a loaded machine delays the polls and this thread
    // alike): the first poll that starts after the write applies it, so whatever the interval,
    // a change takes effect within one interval. Polls never overlap, so the one applying is the
    // newest started.
    ProviderConfigManagerImpl impl = (ProviderConfigManagerImpl) manager;
    AtomicLong appliedAtPoll = new AtomicLong(-1);
    manager.addListener(c -> appliedAtPoll.compareAndSet(-1, impl.polls()));

    // the extra lines continue the providers list
    replace(f, yaml("http://b:11434", "  - name: mock\n    type: mock"));
    long writtenAtPoll = impl.polls();
    eventually(Duration.ofSeconds(10), () -> !changes.isEmpty());
    assertTrue(
        appliedAtPoll.get() <= writtenAtPoll + 1,
        "applied by poll " + appliedAtPoll.get() + ", the write came after poll " + writtenAtPoll);

    ConfigChange c = changes.poll();
    assertSame(before, c.oldConfig());
    assertSame(manager.snapshot(), c.newConfig());
    assertEquals(Set.of("mock"), c.added());
    assertEquals(Set.of("ollama"), c.changed());
    assertEquals(Set.of(), c.removed());
    assertTrue(c.affects("ollama") && !c.affects("openai"));
    assertEquals(
        "http://b:11434", manager.current().await().provider("ollama").orElseThrow().baseUrl());
    assertEquals("mock", manager.provider("mock").await().type());
    assertTrue(failures.isEmpty());
  }

  @Test
  void invalidChangeKeepsOldConfigAndReportsAllProblemsOnce(Vertx vertx) throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), yaml("http://a:11434", ""));
    started(vertx, f);
    LlmConfig before = manager.snapshot();

    replace(f, yaml("ftp://bad", "fallback: [ghost]\nbogus: 1"));
    eventually(Duration.ofSeconds(10), () -> !failures.isEmpty());
    ValidationReport r = failures.peek();
    assertEquals(
        List.of("bogus", "providers[0].baseUrl", "fallback[0]"),
        r.errors().stream().map(ConfigProblem::path).toList(),
        r.toString());
    assertSame(before, manager.snapshot());
    assertEquals(r, manager.lastReport());
    assertFalse(r.toString().contains(KEY));

    polls(manager, 3);
    assertEquals(1, failures.size(), "the same broken content is reported once");
    assertTrue(changes.isEmpty());

    // fixing the file applies it
    replace(f, yaml("http://c:11434", ""));
    eventually(Duration.ofSeconds(10), () -> !changes.isEmpty());
    assertEquals("http://c:11434", manager.snapshot().provider("ollama").orElseThrow().baseUrl());
  }

  @Test
  void touchWithoutChangeDoesNothing(Vertx vertx) throws Exception {
    String text = yaml("http://a:11434", "");
    Path f = Files.writeString(dir.resolve("llm.yaml"), text);
    started(vertx, f);
    LlmConfig before = manager.snapshot();
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    replace(f, text);
    polls(manager, 3);
    assertTrue(changes.isEmpty());
    assertTrue(failures.isEmpty());
    assertSame(before, manager.snapshot());
  }

  @Test
  void stopLeavesNoTimer(Vertx vertx) throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), yaml("http://a:11434", ""));
    started(vertx, f);
    polls(manager, 2);
    manager.stop().await();
    assertFalse(manager.watching());
    long after = ((ProviderConfigManagerImpl) manager).polls();
    Files.writeString(f, yaml("http://b:11434", ""));
    Thread.sleep(150); // several poll intervals
    assertEquals(after, ((ProviderConfigManagerImpl) manager).polls(), "no poll after stop()");
    assertTrue(changes.isEmpty());
    assertEquals("http://a:11434", manager.snapshot().provider("ollama").orElseThrow().baseUrl());
  }

  @Test
  void watchFalseSchedulesNoTimerButReloadWorks(Vertx vertx) throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("llm.json"),
            "{\"reload\": {\"watch\": false}, \"providers\": [{\"name\": \"ollama\", \"type\": \"ollama\"}]}");
    started(vertx, f);
    assertFalse(manager.watching());
    Files.writeString(
        f,
        "{\"reload\": {\"watch\": false}, \"providers\": [{\"name\": \"o2\", \"type\": \"ollama\"}]}");
    ValidationReport r = manager.reload().await();
    assertTrue(r.isValid());
    ConfigChange c = changes.poll();
    assertEquals(Set.of("o2"), c.added());
    assertEquals(Set.of("ollama"), c.removed());
    assertEquals("o2", manager.snapshot().defaultProvider());

    Files.writeString(f, "{\"providers\": 3}");
    ValidationReport bad = manager.reload().await();
    assertFalse(bad.isValid());
    assertEquals("o2", manager.snapshot().defaultProvider());
    assertEquals(bad, failures.poll());
  }

  @Test
  void invalidInitialConfigFailsStart(Vertx vertx) throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), "providers: [{name: x, type: antropic}]");
    manager = ProviderConfigManager.create(vertx, f, ENV, null);
    Throwable t = assertThrows(Throwable.class, () -> manager.start().await());
    ConfigValidationException e = assertInstanceOf(ConfigValidationException.class, t);
    assertEquals(ErrorKind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("Unknown LLM provider type 'antropic'"));
    assertFalse(manager.watching());
    assertThrows(IllegalStateException.class, manager::snapshot);

    ProviderConfigManager missing =
        ProviderConfigManager.create(vertx, dir.resolve("nope.yaml"), ENV, null);
    assertInstanceOf(
        ConfigValidationException.class,
        assertThrows(Throwable.class, () -> missing.start().await()));
  }

  @Test
  void aHugeFileIsRejectedBeforeParsing(Vertx vertx) throws Exception {
    // 5 MB of YAML took 7 to 9 s to reject, parsed on the event loop.
    String big =
        "providers: [{name: x, type: mock}]\n"
            + ("# filler line of a file that is far too large\n").repeat(110_000);
    Path f = Files.writeString(dir.resolve("llm.yaml"), big);
    manager = ProviderConfigManager.create(vertx, f, ENV, null);
    long t0 = System.nanoTime();
    Throwable t = assertThrows(Throwable.class, () -> manager.start().await());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    ConfigValidationException e = assertInstanceOf(ConfigValidationException.class, t);
    assertTrue(e.getMessage().contains("up to 1048576 bytes (1 MiB)"), e.getMessage());
    assertTrue(ms < 3_000, "rejected in " + ms + " ms");
  }

  @Test
  void theFileIsParsedOffTheEventLoop(Vertx vertx) throws Exception {
    // The loader reads the environment while it parses (overrides): record the thread it runs on.
    java.util.List<Boolean> onEventLoop = new java.util.concurrent.CopyOnWriteArrayList<>();
    Path f = Files.writeString(dir.resolve("llm.yaml"), "providers: [{name: x, type: mock}]");
    manager =
        ProviderConfigManager.create(
            vertx,
            f,
            (java.util.function.Function<String, String>)
                k -> {
                  onEventLoop.add(io.vertx.core.Context.isOnEventLoopThread());
                  return null;
                },
            null);
    manager.start().await();
    manager.reload().await();
    assertFalse(onEventLoop.isEmpty());
    assertFalse(onEventLoop.contains(true), "parsed on an event loop: " + onEventLoop);
  }

  @Test
  void embeddedDefaultAndUnknownProvider(Vertx vertx) throws Exception {
    manager = ProviderConfigManager.create(vertx, null, Map.of("OLLAMA_HOST", "::"), null);
    manager.start().await();
    assertFalse(manager.watching(), "nothing to watch");
    assertEquals("http://[::1]:11434", manager.provider("ollama").await().baseUrl());
    Throwable t = assertThrows(Throwable.class, () -> manager.provider("openai").await());
    UnknownProviderException e = assertInstanceOf(UnknownProviderException.class, t);
    assertEquals("Unknown provider 'openai'. Available: [ollama]", e.getMessage());
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals(List.of("ollama"), e.available());
  }

  @Test
  void deletedFileIsReportedOnceAndKeepsConfig(Vertx vertx) throws Exception {
    Path f = Files.writeString(dir.resolve("llm.yaml"), yaml("http://a:11434", ""));
    started(vertx, f);
    Files.delete(f);
    eventually(Duration.ofSeconds(10), () -> !failures.isEmpty());
    polls(manager, 3);
    assertEquals(1, failures.size());
    assertEquals("(file)", failures.peek().problems().get(0).path());
    assertEquals("http://a:11434", manager.snapshot().provider("ollama").orElseThrow().baseUrl());
  }
}
