package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.models.ProgressResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress display on a terminal (redrawn in place) and in a log (plain lines). */
class ProgressPrinterTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong nanos = new AtomicLong();

  private void feed(boolean tty) {
    ProgressPrinter p =
        new ProgressPrinter(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), tty, nanos::get, 100);
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

  private ProgressPrinter terminal(int columns) {
    return new ProgressPrinter(
        new PrintStream(bytes, true, StandardCharsets.UTF_8), true, nanos::get, columns);
  }

  /** Each redraw of the bar (what follows a \r, escape codes aside), in columns. */
  private List<String> redraws() {
    String out = bytes.toString(StandardCharsets.UTF_8);
    return Arrays.stream(out.split("[\r\n]"))
        .map(s -> s.replace("\033[K", ""))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {40, 60, 100})
  void everyRedrawFitsInTheTerminalWidth(int columns) {
    // At 60 columns every refresh became a new line; create --quantize's label did it at 100.
    ProgressPrinter p = terminal(columns);
    String quantize = "sha256:" + "0".repeat(64);
    // figures of every width: 95.5 MB (the widest size), 95.5 MB/s (the widest speed), 1.9 GB
    for (long done = 0; done <= 2_000_000_000L; done += 95_500_000L) {
      p.accept(new ProgressResponse("pulling abababababab", DIGEST, 2_000_000_000L, done));
      nanos.addAndGet(1_000_000_000L);
    }
    p.accept(new ProgressResponse("pulling abababababab", DIGEST, 2_000_000_000L, 2_000_000_000L));
    for (long done = 0; done <= 2_000_000_000L; done += 250_000_000L) {
      p.accept(
          new ProgressResponse("quantizing F16 model to q4_K_M", quantize, 2_000_000_000L, done));
      nanos.addAndGet(500_000_000L);
    }
    p.accept(new ProgressResponse("success", null, null, null));
    List<String> lines = redraws();
    assertTrue(lines.size() > 10, lines.toString());
    for (String l : lines) {
      assertTrue(ProgressPrinter.width(l) <= columns - 1, columns + ": " + l.length() + " " + l);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(3, out.split("\n").length, out); // two bars redrawn in place, then "success"
    if (columns >= 100) {
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.startsWith("pulling abababababab:")
                          && l.indexOf('▏') - l.indexOf('▕') - 1 == 25
                          && l.endsWith("95.5 MB/2.0 GB  95.5 MB/s")),
          out);
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("quantizing F16 model to q4_K_M")), out);
    }
    if (columns == 60) {
      // the label is cut before the bar narrows
      assertTrue(lines.stream().anyMatch(l -> l.contains("…:") && l.contains("▕")), out);
    }
  }

  @Test
  void ctrlCFinishesTheBarsLineAndNothingIsDrawnAfter() {
    // Ctrl-C during a pull left the shell prompt on the bar's line.
    ProgressPrinter p = terminal(80);
    p.accept(new ProgressResponse("pulling abababababab", DIGEST, 1_000L, 500L));
    p.interrupted(); // what the shutdown hook of finishLineOnExit() runs
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.endsWith("\n"), out);
    p.accept(new ProgressResponse("pulling abababababab", DIGEST, 1_000L, 1_000L));
    assertEquals(out, bytes.toString(StandardCharsets.UTF_8), "nothing after the prompt's line");
  }

  @Test
  void theShutdownHookIsRemovedWhenThePullEnds() throws Exception {
    ProgressPrinter p = terminal(80);
    AutoCloseable hook = p.finishLineOnExit();
    hook.close();
    hook.close(); // twice: harmless
  }

  @Test
  void theWidthComesFromColumnsElse80() {
    assertEquals(60, context(Map.of("COLUMNS", "60")).columns());
    if (System.getProperty("llm.columns") == null) {
      assertEquals(80, context(Map.of("COLUMNS", "wide")).columns());
      assertEquals(80, context(Map.of()).columns());
    }
  }

  private static CliContext context(Map<String, String> env) {
    return new CliContext(
        new ByteArrayInputStream(new byte[0]),
        System.out,
        System.err,
        env,
        false,
        true,
        new Interrupts(false));
  }
}
