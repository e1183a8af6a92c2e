package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A slow poll that an explicit reload() overtook must not put the older file back. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class StaleReadTest {
  @TempDir Path dir;

  private static String config(String defaultProvider) {
    return """
        defaultProvider: %s
        providers:
          - { name: a, type: mock }
          - { name: b, type: mock }
        reload: { watch: false }
        """
        .formatted(defaultProvider);
  }

  @Test
  void aReadOvertakenByANewerOneIsDropped(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, config("a"));
    AtomicReference<Promise<Buffer>> held = new AtomicReference<>();
    ProviderConfigManagerImpl m =
        new ProviderConfigManagerImpl(
            vertx,
            file,
            new ConfigLoader(Map.<String, String>of()::get, Set.of("mock")),
            path -> {
              Promise<Buffer> hold = held.getAndSet(null);
              Future<Buffer> now = vertx.fileSystem().readFile(path);
              if (hold == null) {
                return now;
              }
              // This read saw the file as it is now, but answers only when the test lets it.
              return now.compose(content -> hold.future().map(v -> content));
            });
    List<String> applied = new CopyOnWriteArrayList<>();
    m.addListener(change -> applied.add(change.newConfig().defaultProvider()));
    m.start().await();

    Promise<Buffer> gate = Promise.promise();
    held.set(gate);
    m.poll(); // reads "a" and waits at the gate
    Files.writeString(file, config("b"));
    m.reload().await(); // a newer read: "b" applied
    assertEquals("b", m.snapshot().defaultProvider());

    gate.complete(Buffer.buffer());
    vertx.timer(100).await(); // the stale poll's handling has run by now (it is on the event loop)
    assertEquals("b", m.snapshot().defaultProvider(), "the older read must not win");
    assertEquals(List.of("b"), applied, "one change, to b; none back to a");
    m.stop().await();
  }
}
