package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll that reads the bytes it read last time does not parse them again: the file is polled every
 * 250 ms by default, and each parse took a worker thread (a new one each time, until the pool was
 * full).
 */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class UnchangedPollTest {
  @TempDir Path dir;

  private static String config(String model) {
    // each parse is visible: the loader looks up its environment overrides (LLM_PROVIDER) once
    return """
        defaultProvider: a
        providers:
          - { name: a, type: mock, models: [%s] }
        reload: { watch: false }
        """
        .formatted(model);
  }

  /** A manager whose loader counts its parses in {@code parses}. */
  private static ProviderConfigManagerImpl manager(Vertx vertx, Path file, AtomicInteger parses) {
    return new ProviderConfigManagerImpl(
        vertx,
        file,
        new ConfigLoader(
            name -> {
              if (name.equals(ConfigLoader.ENV_PROVIDER)) {
                parses.incrementAndGet();
              }
              return null;
            },
            Set.of("mock")));
  }

  @Test
  void unchangedBytesAreNotParsedAgainAndAChangeStillIs(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, config("one"));
    AtomicInteger parses = new AtomicInteger();
    ProviderConfigManagerImpl m = manager(vertx, file, parses);
    m.start().await();
    int afterStart = parses.get();
    assertTrue(afterStart > 0, "the start parses the file");

    for (int i = 0; i < 5; i++) {
      m.poll().await();
    }
    assertEquals(afterStart, parses.get(), "five polls of unchanged bytes parsed nothing");
    assertEquals(5, m.polls());

    Files.writeString(file, config("two"));
    m.poll().await();
    assertTrue(parses.get() > afterStart, "changed bytes are parsed");
    assertTrue(m.snapshot().provider("a").orElseThrow().models().contains("two"));

    int afterChange = parses.get();
    m.poll().await();
    assertEquals(afterChange, parses.get(), "and then not again");
    m.stop().await();
  }

  @Test
  void anInvalidFileIsNotParsedAgainUntilItChanges(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, config("one"));
    AtomicInteger parses = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ProviderConfigManagerImpl m = manager(vertx, file, parses);
    m.addReloadListener(
        new ConfigReloadListener() {
          @Override
          public void onReload(ConfigChange change) {}

          @Override
          public void onReloadFailed(ValidationReport report) {
            failures.incrementAndGet();
          }
        });
    m.start().await();
    Files.writeString(file, config("one").replace("type: mock", "type: nonsense"));
    m.poll().await();
    int afterBad = parses.get();
    assertEquals(1, failures.get(), "the bad file is reported once");
    m.poll().await();
    m.poll().await();
    assertEquals(afterBad, parses.get(), "the same bad bytes are not parsed again");
    assertEquals(1, failures.get(), "nor reported again");
    m.stop().await();
  }

  @Test
  void everyParseRunsOnTheOneConfigurationThread(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, config("v0"));
    Set<String> parsedOn = ConcurrentHashMap.newKeySet();
    ProviderConfigManagerImpl m =
        new ProviderConfigManagerImpl(
            vertx,
            file,
            new ConfigLoader(
                name -> {
                  if (name.equals(ConfigLoader.ENV_PROVIDER)) {
                    parsedOn.add(Thread.currentThread().getName());
                  }
                  return null;
                },
                Set.of("mock")));
    m.start().await();
    for (int i = 1; i <= 8; i++) {
      Files.writeString(file, config("v" + i));
      m.poll().await();
      assertTrue(m.snapshot().provider("a").orElseThrow().models().contains("v" + i));
    }
    // Vert.x's worker pool would have started a thread per parse here (up to its size)
    assertEquals(1, parsedOn.size(), "parsed on " + parsedOn);
    String thread = parsedOn.iterator().next();
    assertTrue(thread.startsWith(ProviderConfigManagerImpl.FILE_THREAD), "parsed on " + thread);
    m.stop().await();
  }

  @Test
  void aFileThatIsNotWatchedKeepsNoThreadAfterItIsRead(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, config("one")); // reload: { watch: false }
    ProviderConfigManagerImpl m = manager(vertx, file, new AtomicInteger());
    m.start().await();
    assertFalse(m.holdsFileThread(), "not watched: the thread went with the first read");
    Files.writeString(file, config("two"));
    m.reload().await();
    assertTrue(m.snapshot().provider("a").orElseThrow().models().contains("two"));
    assertFalse(m.holdsFileThread(), "a reload takes it for its read only");

    Files.writeString(file, config("three").replace("watch: false", "watch: true"));
    m.reload().await();
    assertTrue(m.watching());
    assertTrue(m.holdsFileThread(), "watched: kept for the polls");
    m.stop().await();
    assertFalse(m.holdsFileThread(), "stopped: released");
  }
}
