package core.llm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Where an interactive session reads its messages: a line editor on a terminal ({@link #jline}:
 * arrows, history, Ctrl-L, no length limit, since the terminal is in raw mode and not the kernel's
 * 4,095-byte cooked line), or plain lines from any other input ({@link #plain}, no length limit
 * either).
 */
interface LineInput extends AutoCloseable {
  /** What Ctrl-C at the prompt reads as: the line is dropped, the session goes on. */
  String INTERRUPTED = "\u0003";

  /**
   * One line without its end, after showing {@code prompt}; null at end of input (Ctrl-D), {@link
   * #INTERRUPTED} for Ctrl-C.
   */
  String readLine(String prompt) throws IOException;

  /** Whether a person is typing (a question such as "pull it? (y/N)" can be asked). */
  boolean interactive();

  @Override
  default void close() {}

  /** Lines of {@code in}, each as long as it is, the prompt printed on {@code out}. */
  static LineInput plain(InputStream in, PrintStream out) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new LineInput() {
      @Override
      public String readLine(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        return reader.readLine();
      }

      @Override
      public boolean interactive() {
        return false;
      }
    };
  }

  /** At most this many lines are kept in the history, in memory and in its file. */
  int HISTORY_SIZE = 1000;

  /**
   * The history file: {@code $XDG_STATE_HOME/core-llm/history}, else {@code ~/.llm/history}, else
   * none (kept in memory for the session only, as in tests without HOME).
   */
  static Path historyFile(Map<String, String> env) {
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "core-llm", "history");
    }
    String home = env.get("HOME");
    return home == null || home.isBlank() ? null : Path.of(home, ".llm", "history");
  }

  /**
   * A JLine line editor on {@code terminal}, its history in {@code history} (may be null). Ctrl-C
   * while no line is read (an answer streams) goes to {@code interrupts}: the terminal must be
   * built with a signal handler other than {@code SIG_DFL}, so that its native SIGINT handler
   * raises the signal to the handlers set here.
   */
  static LineInput jline(Terminal terminal, Path history, Interrupts interrupts) {
    terminal.handle(Terminal.Signal.INT, s -> interrupts.fire());
    LineReaderBuilder b =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("llm")
            .variable(LineReader.HISTORY_SIZE, HISTORY_SIZE)
            .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_SIZE)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not history
            .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
    if (history != null) {
      try {
        Files.createDirectories(history.getParent());
        b.variable(LineReader.HISTORY_FILE, history);
      } catch (IOException | RuntimeException e) {
        // no history file: the session still works, with its history in memory
      }
    }
    LineReader reader = b.build();
    // The arrows in both forms: terminfo's (keypad mode, ESC O D) and the plain CSI (ESC [ D) of
    // terminals that ignore keypad mode.
    KeyMap<Binding> emacs = reader.getKeyMaps().get(LineReader.EMACS);
    emacs.bind(new Reference(LineReader.UP_LINE_OR_HISTORY), "\033[A");
    emacs.bind(new Reference(LineReader.DOWN_LINE_OR_HISTORY), "\033[B");
    emacs.bind(new Reference(LineReader.FORWARD_CHAR), "\033[C");
    emacs.bind(new Reference(LineReader.BACKWARD_CHAR), "\033[D");
    return new LineInput() {
      @Override
      public String readLine(String prompt) {
        try {
          return reader.readLine(prompt);
        } catch (UserInterruptException e) {
          return INTERRUPTED;
        } catch (EndOfFileException e) {
          return null;
        }
      }

      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public void close() {
        try {
          reader.getHistory().save();
        } catch (IOException | RuntimeException e) {
          // best effort
        }
        try {
          terminal.close();
        } catch (IOException e) {
          // best effort
        }
      }
    };
  }
}
