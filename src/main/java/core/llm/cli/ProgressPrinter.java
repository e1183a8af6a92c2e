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
 * On a terminal the bar of the current layer is redrawn in place with {@code \r}; otherwise (a log,
 * a pipe) it prints plain lines: the layer's start, each quarter, and its end.
 */
final class ProgressPrinter {
  private static final int WIDTH = 25;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean tty;
  private final LongSupplier nanos;
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

  ProgressPrinter(PrintStream out, boolean tty, LongSupplier nanos) {
    this.out = out;
    this.tty = tty;
    this.nanos = nanos;
  }

  /** One progress line from the server. */
  void accept(ProgressResponse p) {
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
      out.print("\r" + line(label, l, now) + "\033[K");
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
  void closeBar() {
    if (tty && current != null) {
      out.println();
      current = null;
    }
  }

  private String line(String label, Layer l, long now) {
    double fraction = l.total <= 0 ? 0 : Math.min(1.0, (double) l.completed / l.total);
    int filled = (int) Math.round(fraction * WIDTH);
    String bar = "▕" + "█".repeat(filled) + " ".repeat(WIDTH - filled) + "▏";
    double secs = (now - l.started) / 1e9;
    String speed =
        secs > 0.05 && l.completed > 0 ? "  " + Fmt.bytes((long) (l.completed / secs)) + "/s" : "";
    String size =
        l.completed >= l.total
            ? Fmt.bytes(l.total)
            : Fmt.bytes(l.completed) + "/" + Fmt.bytes(l.total);
    return String.format(
        Locale.ROOT, "%s: %3d%% %s %s%s", label, Math.round(fraction * 100), bar, size, speed);
  }
}
