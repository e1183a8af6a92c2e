package core.llm.cli;

import core.llm.providers.ollama.models.ProgressResponse;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows pull, push and create progress like {@code ollama pull}: status lines, and one bar per
 * layer with its size and speed ({@code pulling 1a2b3c4d5e6f: 42% ▕█████ ▏ 850 MB/2.0 GB 45 MB/s}).
 * On a terminal the bar of the current layer is redrawn in place with {@code \r}, and fits in one
 * column less than the terminal's width (a line that wraps cannot be redrawn: each refresh became a
 * new line): the label is cut first (with {@code …}), then the bar narrows, then the speed goes,
 * then the bar. Otherwise (a log, a pipe) it prints plain lines: the layer's start, each quarter,
 * and its end.
 *
 * <p>{@link #interrupted()} ends the bar's line for good; {@link #finishLineOnExit()} runs it from
 * a shutdown hook, so Ctrl-C during a pull leaves the shell prompt on a line of its own.
 */
final class ProgressPrinter {
  private static final int WIDTH = 25;
  private static final int MIN_BAR = 5;
  private static final int MIN_BAR_WITH_SPEED = 10; // narrower than that, the speed goes first
  private static final int MIN_LABEL = 20; // "pulling 1a2b3c4d5e6f"
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean tty;
  private final LongSupplier nanos;
  private final int columns;
  private boolean stopped;
  private final Map<String, Layer> layers = new HashMap<>();
  private String current;
  private String lastStatus;
  private long lastDraw;

  private static final class Layer {
    final long started;
    long total;
    long completed;
    int quarter = -1;

    Layer(long started) {
      this.started = started;
    }
  }

  /**
   * @param columns the terminal's width (bars use at most {@code columns - 1})
   */
  ProgressPrinter(PrintStream out, boolean tty, LongSupplier nanos, int columns) {
    this.out = out;
    this.tty = tty;
    this.nanos = nanos;
    this.columns = Math.max(columns, 2);
  }

  /** One progress line from the server. */
  synchronized void accept(ProgressResponse p) {
    if (stopped) {
      return; // Ctrl-C ended the line: nothing may be drawn after the shell's prompt
    }
    String status = p.status() == null ? "" : p.status();
    if (p.digest() == null || p.total() == null) {
      closeBar();
      if (!status.equals(lastStatus)) {
        out.println(status);
        lastStatus = status;
      }
      out.flush();
      return;
    }
    long now = nanos.getAsLong();
    Layer l = layers.computeIfAbsent(p.digest(), d -> new Layer(now));
    l.total = p.total();
    l.completed = p.completed() == null ? 0 : p.completed();
    String label =
        status.contains(Fmt.shortDigest(p.digest()))
            ? status
            : status + " " + Fmt.shortDigest(p.digest());
    boolean done = l.total > 0 && l.completed >= l.total;
    if (tty) {
      if (!p.digest().equals(current)) {
        closeBar();
        current = p.digest();
      } else if (!done && now - lastDraw < REDRAW_NANOS) {
        return; // redrawing at every line would cost more than the download
      }
      out.print("\r" + fitted(label, l, now) + "\033[K");
      lastDraw = now;
    } else {
      int quarter = l.total <= 0 ? 0 : (int) (4 * Math.min(l.completed, l.total) / l.total);
      if (quarter != l.quarter) {
        l.quarter = quarter;
        out.println(line(label, l, now));
      }
    }
    lastStatus = status;
    out.flush();
  }

  /** Ends the bar being redrawn, if any, so the next output starts on its own line. */
  synchronized void closeBar() {
    if (tty && current != null) {
      out.println();
      current = null;
    }
  }

  /**
   * The program is going away (Ctrl-C): ends the bar's line so the shell's prompt starts on a clean
   * one, and draws nothing more. Safe from any thread.
   */
  synchronized void interrupted() {
    closeBar();
    stopped = true;
    out.flush();
  }

  /**
   * Runs {@link #interrupted()} if the JVM shuts down (SIGINT's default) before the returned handle
   * is closed, which removes the hook.
   */
  AutoCloseable finishLineOnExit() {
    Thread hook = new Thread(this::interrupted, "llm-progress-line");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs, or ran: nothing to undo
      }
    };
  }

  private String line(String label, Layer l, long now) {
    return label + ":" + tail(l, now, WIDTH, true);
  }

  /**
   * The bar's line in at most {@code columns - 1} columns: the whole label and a full bar when they
   * fit; else the label cut (down to {@link #MIN_LABEL}); else a narrower bar; else no speed (and a
   * bar again as wide as fits); else no bar, then neither, the label cut to what is left; as a last
   * resort the line itself is cut. The layout is worked out for the widest figures the layer can
   * show (sizes, speed), so it stays the same from one redraw to the next instead of jumping as the
   * numbers change.
   */
  private String fitted(String label, Layer l, long now) {
    int budget = columns - 1;
    int size = "99.9 MB/".length() + width(Fmt.bytes(l.total));
    int need = Math.min(width(label), MIN_LABEL);
    for (boolean speed : new boolean[] {true, false}) {
      for (int bar = WIDTH; bar >= (speed ? MIN_BAR_WITH_SPEED : MIN_BAR); bar--) {
        int room = budget - reserved(bar, speed, size) - 1;
        if (room >= need) {
          return cut(label, room) + ":" + tail(l, now, bar, speed);
        }
      }
    }
    int room = budget - reserved(0, true, size) - 1;
    if (room >= need) {
      return cut(label, room) + ":" + tail(l, now, 0, true);
    }
    room = budget - reserved(0, false, size) - 1;
    if (room >= 1) {
      return cut(label, room) + ":" + tail(l, now, 0, false);
    }
    return cut(label + ":" + tail(l, now, 0, false), budget);
  }

  /** The widest {@link #tail} can be: percentage, bar, sizes, speed ({@code " 99.9 MB/s"}). */
  private static int reserved(int bar, boolean speed, int size) {
    return " 100%".length() + (bar > 0 ? bar + 3 : 0) + 1 + size + (speed ? 11 : 0);
  }

  /** {@code s} in at most {@code max} columns, ending with {@code …} when cut. */
  static String cut(String s, int max) {
    if (width(s) <= max) {
      return s;
    }
    if (max <= 0) {
      return "";
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  /** Columns taken (every character used here is one column wide). */
  static int width(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String tail(Layer l, long now, int barWidth, boolean withSpeed) {
    double fraction = l.total <= 0 ? 0 : Math.min(1.0, (double) l.completed / l.total);
    String bar = "";
    if (barWidth > 0) {
      int filled = (int) Math.round(fraction * barWidth);
      bar = " ▕" + "█".repeat(filled) + " ".repeat(barWidth - filled) + "▏";
    }
    double secs = (now - l.started) / 1e9;
    String speed =
        withSpeed && secs > 0.05 && l.completed > 0
            ? "  " + Fmt.bytes((long) (l.completed / secs)) + "/s"
            : "";
    String size =
        l.completed >= l.total
            ? Fmt.bytes(l.total)
            : Fmt.bytes(l.completed) + "/" + Fmt.bytes(l.total);
    return String.format(
        Locale.ROOT, " %3d%%%s %s%s", Math.round(fraction * 100), bar, size, speed);
  }
}
