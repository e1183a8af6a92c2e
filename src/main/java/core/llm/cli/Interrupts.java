package core.llm.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C for streamed answers: while an answer streams, Ctrl-C cancels it (the stream's {@code
 * cancel()} closes the connection, which is how Ollama stops generating) and the session goes on;
 * otherwise it does the command's idle action (a hint in an interactive session, exit elsewhere).
 *
 * <p>The SIGINT handler is only a trigger for {@link #fire()}, which tests call directly: real
 * signals cannot be sent to a test JVM safely. The handler uses {@code sun.misc.Signal}
 * (jdk.unsupported), guarded so a runtime without it simply keeps the default Ctrl-C behaviour.
 */
public final class Interrupts {
  private final AtomicReference<Runnable> cancel = new AtomicReference<>();
  private final boolean installSignals;
  private volatile Runnable idle = () -> {};

  /**
   * @param installSignals whether {@link #install} hooks SIGINT (the real program) or not (tests)
   */
  public Interrupts(boolean installSignals) {
    this.installSignals = installSignals;
  }

  /** Makes {@code action} what the next Ctrl-C runs (once), until {@link #disarm()}. */
  void arm(Runnable action) {
    cancel.set(action);
  }

  void disarm() {
    cancel.set(null);
  }

  /** What Ctrl-C does when no answer is in progress. */
  void idleAction(Runnable action) {
    idle = action == null ? () -> {} : action;
  }

  /**
   * The cancel hook: cancels the answer in progress, if any, and returns true; otherwise runs the
   * idle action and returns false. Safe from any thread (the SIGINT handler's, a test's).
   */
  public boolean fire() {
    Runnable r = cancel.getAndSet(null);
    if (r != null) {
      r.run();
      return true;
    }
    idle.run();
    return false;
  }

  /** Whether an answer is in progress (something to cancel). */
  public boolean armed() {
    return cancel.get() != null;
  }

  /**
   * Routes SIGINT to {@link #fire()} until the returned handle is closed, which restores the
   * previous handler. Does nothing when signals are off or unsupported.
   */
  AutoCloseable install() {
    if (!installSignals) {
      return () -> {};
    }
    try {
      sun.misc.Signal sigint = new sun.misc.Signal("INT");
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(sigint, s -> fire());
      return () -> sun.misc.Signal.handle(sigint, previous);
    } catch (
        Throwable
            e) { // LinkageError without jdk.unsupported, IllegalArgumentException on odd platforms
      return () -> {};
    }
  }
}
