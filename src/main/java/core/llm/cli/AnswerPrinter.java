package core.llm.cli;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.providers.base.ResponseStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * Prints a streamed answer token by token as it arrives, with the model's thinking shown apart the
 * way {@code ollama run} does: a {@code Thinking...} block (dim on a terminal), then {@code ...done
 * thinking.}, then the answer. Ctrl-C (through {@link Interrupts}) cancels the stream: the partial
 * answer stays on screen, followed by a note.
 */
final class AnswerPrinter {
  private static final String DIM = "\033[2m";
  private static final String RESET = "\033[0m";

  /**
   * How an answer ended: whole ({@code result} set), cancelled by Ctrl-C, or cut short because the
   * output was closed ({@code brokenPipe}: {@code llm chat M | head -c 30}).
   */
  record Outcome<R>(
      String content, String thinking, boolean cancelled, boolean brokenPipe, R result) {}

  private final PrintStream out;
  private final PrintStream err;
  private final boolean tty;
  private final boolean hideThinking;
  private final Interrupts interrupts;
  private final boolean errTty;
  private final int columns;
  private String waitingFor;
  private long firstTokenNanos;

  AnswerPrinter(CliContext ctx, boolean hideThinking) {
    this.errTty = ctx.stderrTty;
    this.columns = ctx.columns();
    this.out = ctx.out;
    this.err = ctx.err;
    this.tty = ctx.stdoutTty;
    this.hideThinking = hideThinking;
    this.interrupts = ctx.interrupts;
  }

  /**
   * What the spinner says until the next answer's first chunk ("loading llama3.2…"); null: no
   * spinner.
   */
  void waitingFor(String text) {
    this.waitingFor = text;
  }

  /** When the last answer's first chunk arrived ({@link System#nanoTime()}), or 0 if none did. */
  long firstTokenNanos() {
    return firstTokenNanos;
  }

  /**
   * Prints the stream until it ends, fails or is cancelled. A failure is thrown after what arrived
   * before it was printed.
   */
  Outcome<CompletionResult> print(ResponseStream<CompletionDelta, CompletionResult> stream) {
    return print(stream, CompletionDelta::thinking, CompletionDelta::content);
  }

  /**
   * {@link #print(ResponseStream)} for any chunk type ({@code /api/generate}'s included), given how
   * to read a chunk's thinking and text (null counts as none).
   *
   * <p>When the output can no longer be written (a closed pipe: {@link PrintStream#checkError()}),
   * the stream is cancelled at once, which closes the connection so the server stops generating,
   * and the outcome says {@code brokenPipe}; nothing more is printed.
   */
  <T, R> Outcome<R> print(
      ResponseStream<T, R> stream, Function<T, String> thinkingOf, Function<T, String> contentOf) {
    StreamQueue<T> events = new StreamQueue<>(stream);
    interrupts.arm(
        () -> {
          stream.cancel();
          events.cancelled();
        });
    StringBuilder content = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    boolean inThinking = false;
    WordWrap wrap = tty ? new WordWrap(columns) : null;
    firstTokenNanos = 0;
    Spinner spinner = Spinner.start(err, errTty && waitingFor != null, waitingFor, columns);
    try {
      while (true) {
        StreamQueue.Event<T> ev = events.next();
        spinner.close(); // erased before anything else is printed
        if (firstTokenNanos == 0 && ev instanceof StreamQueue.Item<T>) {
          firstTokenNanos = System.nanoTime();
        }
        if (ev instanceof StreamQueue.Item<T> item) {
          String thought = orEmpty(thinkingOf.apply(item.value()));
          String text = orEmpty(contentOf.apply(item.value()));
          if (!thought.isEmpty()) {
            thinking.append(thought);
            if (!hideThinking) {
              if (!inThinking) {
                out.print(tty ? DIM + "Thinking...\n" : "Thinking...\n");
                inThinking = true;
              }
              out.print(wrap == null ? thought : wrap.feed(thought));
            }
          }
          if (!text.isEmpty()) {
            if (inThinking) {
              if (wrap != null) {
                out.print(wrap.finish());
                wrap.atLineStart();
              }
              endThinking();
              inThinking = false;
            }
            content.append(text);
            out.print(wrap == null ? text : wrap.feed(text));
          }
          if (out.checkError()) { // flushes; true once a write failed (the reader went away)
            stream.cancel();
            return new Outcome<>(content.toString(), thinking.toString(), false, true, null);
          }
        } else if (ev instanceof StreamQueue.End<T>) {
          if (wrap != null) {
            out.print(wrap.finish());
          }
          if (inThinking) {
            endThinking();
          }
          finishLine(content);
          return new Outcome<>(
              content.toString(),
              thinking.toString(),
              false,
              out.checkError(),
              // settles just after the end handler ran: wait for it (never an event loop here)
              stream.result().await());
        } else if (ev instanceof StreamQueue.Cancelled<T>) {
          if (wrap != null) {
            out.print(wrap.finish());
          }
          interrupted(inThinking, content);
          err.println("[answer cancelled]");
          return new Outcome<>(content.toString(), thinking.toString(), true, false, null);
        } else if (ev instanceof StreamQueue.Failed<T> f) {
          if (wrap != null) {
            out.print(wrap.finish());
          }
          interrupted(inThinking, content);
          throw f.error() instanceof RuntimeException re ? re : new RuntimeException(f.error());
        }
      }
    } finally {
      spinner.close();
      interrupts.disarm();
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Leaves the terminal tidy after an answer cut short: colours reset, cursor on a fresh line. */
  private void interrupted(boolean inThinking, CharSequence content) {
    if (inThinking && tty) {
      out.print(RESET);
    }
    if (inThinking || content.length() > 0) {
      out.println();
    }
    out.flush();
  }

  private void endThinking() {
    out.print(tty ? "\n...done thinking.\n\n" + RESET : "\n...done thinking.\n\n");
  }

  /** Ends the answer's last line, so the next prompt or the shell starts on a fresh one. */
  private void finishLine(CharSequence printed) {
    if (printed.length() > 0) {
      out.println();
    }
    out.flush();
  }
}
