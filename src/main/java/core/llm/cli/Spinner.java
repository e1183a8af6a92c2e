package core.llm.cli;

import java.io.PrintStream;

/**
 * The spinner of {@code ollama run} while a request has no answer yet (a model load can take
 * minutes): one line on stderr, redrawn in place, saying what it waits for, fitted to the
 * terminal's width, and erased by {@link #close()} before the first token is printed. Nothing at
 * all when stderr is not a terminal.
 */
final class Spinner implements AutoCloseable {
  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  private static final long FRAME_MILLIS = 100;

  private final PrintStream err;
  private final String text;
  private final int columns;
  private boolean stopped;
  private boolean drawn;

  private Spinner(PrintStream err, String text, int columns) {
    this.err = err;
    this.text = text;
    this.columns = columns;
  }

  /**
   * Starts spinning on {@code err} when it is a terminal; otherwise a spinner that does nothing.
   */
  static Spinner start(PrintStream err, boolean tty, String text, int columns) {
    Spinner s = new Spinner(err, text, columns);
    if (!tty) {
      s.stopped = true;
      return s;
    }
    Thread t = new Thread(s::spin, "llm-spinner");
    t.setDaemon(true);
    t.start();
    return s;
  }

  private synchronized void spin() {
    int frame = 0;
    while (!stopped) {
      String line = FRAMES.charAt(frame++ % FRAMES.length()) + " " + text;
      // one column short of the width: a full line would wrap on some terminals
      err.print("\r" + ProgressPrinter.cut(line, Math.max(1, columns - 1)) + "\033[K");
      err.flush();
      drawn = true;
      try {
        wait(FRAME_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops and erases the spinner (the cursor back at the start of its line); idempotent. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    notifyAll();
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
