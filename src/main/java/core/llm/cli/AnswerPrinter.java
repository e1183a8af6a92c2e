package core.llm.cli;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.providers.base.ResponseStream;
import java.io.PrintStream;

/**
 * Prints a streamed answer token by token as it arrives, with the model's thinking shown apart the
 * way {@code ollama run} does: a {@code Thinking...} block (dim on a terminal), then {@code ...done
 * thinking.}, then the answer. Ctrl-C (through {@link Interrupts}) cancels the stream: the partial
 * answer stays on screen, followed by a note.
 */
final class AnswerPrinter {
  private static final String DIM = "\033[2m";
  private static final String RESET = "\033[0m";

  /** How an answer ended. */
  record Outcome(String content, String thinking, boolean cancelled, CompletionResult result) {}

  private final PrintStream out;
  private final PrintStream err;
  private final boolean tty;
  private final boolean hideThinking;
  private final Interrupts interrupts;

  AnswerPrinter(CliContext ctx, boolean hideThinking) {
    this.out = ctx.out;
    this.err = ctx.err;
    this.tty = ctx.stdoutTty;
    this.hideThinking = hideThinking;
    this.interrupts = ctx.interrupts;
  }

  /**
   * Prints the stream until it ends, fails or is cancelled. A failure is thrown after what arrived
   * before it was printed.
   */
  Outcome print(ResponseStream<CompletionDelta, CompletionResult> stream) {
    StreamQueue<CompletionDelta> events = new StreamQueue<>(stream);
    interrupts.arm(
        () -> {
          stream.cancel();
          events.cancelled();
        });
    StringBuilder content = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    boolean inThinking = false;
    try {
      while (true) {
        StreamQueue.Event<CompletionDelta> ev = events.next();
        if (ev instanceof StreamQueue.Item<CompletionDelta> item) {
          CompletionDelta d = item.value();
          if (!d.thinking().isEmpty()) {
            thinking.append(d.thinking());
            if (!hideThinking) {
              if (!inThinking) {
                out.print(tty ? DIM + "Thinking...\n" : "Thinking...\n");
                inThinking = true;
              }
              out.print(d.thinking());
            }
          }
          if (!d.content().isEmpty()) {
            if (inThinking) {
              endThinking();
              inThinking = false;
            }
            content.append(d.content());
            out.print(d.content());
          }
          out.flush();
        } else if (ev instanceof StreamQueue.End<CompletionDelta>) {
          if (inThinking) {
            endThinking();
          }
          finishLine(content);
          return new Outcome(
              content.toString(), thinking.toString(), false, stream.result().result());
        } else if (ev instanceof StreamQueue.Cancelled<CompletionDelta>) {
          interrupted(inThinking, content);
          err.println("[answer cancelled]");
          return new Outcome(content.toString(), thinking.toString(), true, null);
        } else if (ev instanceof StreamQueue.Failed<CompletionDelta> f) {
          interrupted(inThinking, content);
          throw f.error() instanceof RuntimeException re ? re : new RuntimeException(f.error());
        }
      }
    } finally {
      interrupts.disarm();
    }
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
