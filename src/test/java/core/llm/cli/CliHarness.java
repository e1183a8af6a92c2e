package core.llm.cli;

import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * Runs the program in-process against a {@link FakeOllamaServer}: OLLAMA_HOST points at the fake
 * and nothing else of the real environment leaks in (no HOME, so no per-user config file).
 */
final class CliHarness implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final FakeOllamaServer server;
  final Map<String, String> env = new HashMap<>();

  /** What one run printed and returned. */
  record Result(int exit, String out, String err) {}

  /** A run still going, for tests that interrupt it. */
  static final class Running {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    Llm llm;
    CompletableFuture<Integer> exit;

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  CliHarness() {
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(FakeModel.named("llama3.2").reply("Hello there, friend!"));
    server.addModel(
        FakeModel.named("qwen3:8b")
            .capabilities("completion", "thinking")
            .thinking("Let me think.")
            .reply("The answer is 42."));
    env.put("OLLAMA_HOST", server.baseUrl());
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Llm.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Starts a run on its own thread; {@code interactive} makes stdin count as a terminal. */
  Running start(InputStream stdin, boolean interactive, String... args) {
    Running r = new Running();
    r.llm =
        new Llm(
            stdin,
            new PrintStream(r.out, true, StandardCharsets.UTF_8),
            new PrintStream(r.err, true, StandardCharsets.UTF_8),
            env,
            interactive,
            false,
            false);
    r.exit = CompletableFuture.supplyAsync(() -> r.llm.execute(args));
    return r;
  }

  /**
   * Starts an interactive run on a JLine terminal over {@code keys} (what the user types: escape
   * sequences, Ctrl-C as 0x03, Ctrl-D as 0x04) and {@code screen} (what the line editor draws);
   * answers go to the run's out as usual. {@code stderrTty} says whether stderr counts as a
   * terminal (the spinner).
   */
  Running startTerminal(InputStream keys, OutputStream screen, boolean stderrTty, String... args) {
    Running r = new Running();
    r.llm =
        new Llm(
            keys,
            new PrintStream(r.out, true, StandardCharsets.UTF_8),
            new PrintStream(r.err, true, StandardCharsets.UTF_8),
            env,
            true,
            true,
            false);
    r.llm.context().stderrTty = stderrTty;
    // JLine's own test terminal: a line discipline in Java (Ctrl-C raises INT as a tty would);
    // TerminalBuilder.streams(...) would open a real pseudo-terminal whose signals miss us
    r.llm.context().terminal =
        () -> {
          ExternalTerminal t =
              new ExternalTerminal(
                  null,
                  "test",
                  "xterm",
                  keys,
                  screen,
                  StandardCharsets.UTF_8,
                  Terminal.SignalHandler.SIG_IGN,
                  false);
          t.setSize(new Size(80, 24));
          return t;
        };
    r.exit = CompletableFuture.supplyAsync(() -> r.llm.execute(args));
    return r;
  }

  /** Like {@link #start} with stderr counted as a terminal (the spinner is drawn). */
  Running startWithTtyErr(InputStream stdin, String... args) {
    Running r = new Running();
    r.llm =
        new Llm(
            stdin,
            new PrintStream(r.out, true, StandardCharsets.UTF_8),
            new PrintStream(r.err, true, StandardCharsets.UTF_8),
            env,
            false,
            false,
            false);
    r.llm.context().stderrTty = true;
    r.exit = CompletableFuture.supplyAsync(() -> r.llm.execute(args));
    return r;
  }

  /**
   * Starts a one-shot run whose stdout takes {@code limit} bytes and then fails as a closed pipe
   * does ({@code llm chat M "..." | head -c 30}): every later write throws {@code IOException}.
   */
  Running startWithClosingOutput(int limit, String... args) {
    Running r = new Running();
    OutputStream closing =
        new OutputStream() {
          private int written;

          @Override
          public synchronized void write(int b) throws IOException {
            if (written >= limit) {
              throw new IOException("Broken pipe");
            }
            written++;
            r.out.write(b);
          }
        };
    r.llm =
        new Llm(
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(closing, true, StandardCharsets.UTF_8),
            new PrintStream(r.err, true, StandardCharsets.UTF_8),
            env,
            false,
            false,
            false);
    r.exit = CompletableFuture.supplyAsync(() -> r.llm.execute(args));
    return r;
  }

  /** Polls until the condition holds (tests have their own timeout). */
  static void until(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    server.close().await();
    vertx.close().await();
  }
}
