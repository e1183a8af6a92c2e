package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every README example of this build's set (readme-sources.sh cut them out of README.md) as a
 * newcomer would: its own JVM, {@code main}, on this project's class path, with {@code OLLAMA_HOST}
 * pointing at a {@link FakeOllama}, the README's YAML as {@code llm.yaml} in its working directory.
 *
 * <p>Each example must (1) end by itself (a program that does not close Vert.x never exits: the
 * test gives it {@link #LIMIT_SECONDS}), with exit code 0, nothing on stderr saying {@code
 * failed:}, and the output and requests listed in {@link #EXPECTED}; and (2) with no server at
 * {@code OLLAMA_HOST}, still end by itself and report the failure ({@code failed: ...} on stderr,
 * the README's convention).
 */
class ReadmeExamplesTest {

  static final int LIMIT_SECONDS = 30; // they end in 2-7 s on a loaded 2-core machine

  /** What each known example prints and which Ollama calls it makes. */
  record Expected(String[] installed, List<String> stdout, List<String> requests) {}

  static final String[] ALL = {"llama3.2", "nomic-embed-text"};

  static final Map<String, Expected> EXPECTED =
      Map.of(
          "ChatExample",
          new Expected(
              ALL,
              List.of(FakeOllama.CHAT_ANSWER, FakeOllama.GENERATE_ANSWER, "2 vectors"),
              List.of("POST /api/chat", "POST /api/generate", "POST /api/embed")),
          "StreamExample",
          new Expected(
              ALL, List.of(FakeOllama.CHAT_ANSWER + "\n", "11 tokens"), List.of("POST /api/chat")),
          "TimeoutsExample",
          new Expected(ALL, List.of(FakeOllama.CHAT_ANSWER), List.of("POST /api/chat")),
          "ModelsExample",
          // llama3.2 is not installed: IF_MISSING pulls it, printing the progress
          new Expected(
              new String[] {"nomic-embed-text"},
              List.of("pulling manifest", "success", "llama3.2:latest 1500000000"),
              List.of("GET /api/tags", "POST /api/pull", "POST /api/generate", "GET /api/ps")),
          "GuiceExample",
          new Expected(ALL, List.of(FakeOllama.CHAT_ANSWER), List.of("POST /api/chat")));

  static final Path SOURCES = Path.of(System.getProperty("readme.sources"));
  static final String SET = System.getProperty("readme.set");

  @TempDir Path work;

  static List<String> examples() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".java"))
          .map(n -> n.substring(0, n.length() - ".java".length()))
          .sorted()
          .toList();
    }
  }

  @Test
  void theReadmeHasExamplesInThisSet() throws IOException {
    assertFalse(examples().isEmpty(), "no README example in " + SOURCES);
  }

  /** The plain set proves that code without Guice needs no Guice: it is not on the class path. */
  @Test
  void guiceIsOnTheClassPathOnlyWhenAsked() {
    if ("plain".equals(SET)) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.inject.Guice"));
    } else {
      assertEquals("guice", SET);
      assertTrue(classExists("com.google.inject.Guice"));
    }
  }

  @TestFactory
  List<DynamicTest> everyExampleRunsAndEnds() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String example : examples()) {
      tests.add(DynamicTest.dynamicTest(example + " against the fake Ollama", () -> ok(example)));
      tests.add(DynamicTest.dynamicTest(example + " with no server", () -> noServer(example)));
    }
    return tests;
  }

  private void ok(String example) throws Exception {
    Expected expected = EXPECTED.get(example);
    String[] installed = expected == null ? ALL : expected.installed();
    try (FakeOllama ollama = new FakeOllama(installed).start()) {
      Run run = run(example, "http://127.0.0.1:" + ollama.port());
      assertEquals(0, run.exit, run.describe("exit code"));
      assertFalse(run.stderr.contains("failed:"), run.describe("reported a failure"));
      if (expected == null) {
        // a new example: it must at least talk to Ollama; add what it prints to EXPECTED
        assertFalse(ollama.requests().isEmpty(), run.describe("made no request"));
        return;
      }
      for (String text : expected.stdout()) {
        assertTrue(run.stdout.contains(text), run.describe("printed no \"" + text + "\""));
      }
      for (String request : expected.requests()) {
        assertTrue(
            ollama.requests().contains(request),
            run.describe("sent no " + request + " (sent " + ollama.requests() + ")"));
      }
    }
  }

  private void noServer(String example) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Run run = run(example, "http://127.0.0.1:" + port);
    assertTrue(run.stderr.contains("failed:"), run.describe("did not report the failure"));
  }

  record Run(String example, int exit, String stdout, String stderr) {
    String describe(String what) {
      return example
          + ": "
          + what
          + "\n--- exit "
          + exit
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr\n"
          + stderr;
    }
  }

  private Run run(String example, String ollamaHost) throws Exception {
    Path dir = Files.createTempDirectory(work, example);
    Files.copy(
        Path.of(System.getProperty("readme.yaml")),
        dir.resolve("llm.yaml"),
        StandardCopyOption.REPLACE_EXISTING);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1", // starts faster; these programs are short
                "-cp",
                System.getProperty("java.class.path"),
                example)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OLLAMA_") || k.startsWith("LLM_"));
    env.remove("PROVIDER_MODEL_MAPPING");
    env.put("OLLAMA_HOST", ollamaHost);
    env.put("OPENAI_API_KEY", "not-used-by-these-examples"); // the README's YAML names it
    long started = System.nanoTime();
    Process process = pb.start();
    if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail(
          new Run(example, -1, read(out), read(err))
              .describe("still running after " + LIMIT_SECONDS + " s: does it close Vert.x?"));
    }
    Run run = new Run(example, process.exitValue(), read(out), read(err));
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.println(run.describe("OLLAMA_HOST=" + ollamaHost + ", ended in " + ms + " ms"));
    return run;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
