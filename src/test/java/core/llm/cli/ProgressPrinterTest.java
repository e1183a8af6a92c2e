package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.models.ProgressResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress display on a terminal (redrawn in place) and in a log (plain lines). */
class ProgressPrinterTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong nanos = new AtomicLong();

  private void feed(boolean tty) {
    ProgressPrinter p =
        new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), tty, nanos::get);
    p.accept(new ProgressResponse("pulling manifest", null, null, null));
    for (long done = 0; done <= 1_000_000_000L; done += 100_000_000L) {
      p.accept(new ProgressResponse("pulling abababababab", DIGEST, 1_000_000_000L, done));
      nanos.addAndGet(500_000_000L); // half a second per step: 200 MB/s
    }
    p.accept(new ProgressResponse("success", null, null, null));
  }

  @Test
  void terminalRedrawsOneLinePerLayerWithSizeAndSpeed() {
    feed(true);
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = out.split("\n");
    assertEquals("pulling manifest", lines[0]);
    assertTrue(lines[1].startsWith("\rpulling abababababab:   0%"), lines[1]);
    assertTrue(
        lines[1].contains(
            "\rpulling abababababab: 100% ▕█████████████████████████▏ 1.0 GB  200 MB/s"),
        lines[1]);
    assertEquals("success", lines[2]);
    assertEquals(3, lines.length, out);
  }

  @Test
  void logGetsPlainLinesAtEachQuarter() {
    feed(false);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(!out.contains("\r"), out);
    long bars = out.lines().filter(l -> l.startsWith("pulling abababababab:")).count();
    assertEquals(5, bars, out); // 0%, 25%, 50%, 75%, 100%
  }
}
