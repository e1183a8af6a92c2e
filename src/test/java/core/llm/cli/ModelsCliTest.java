package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model management, providers, config and errors, run in-process against the fake Ollama server.
 */
@Timeout(20)
class ModelsCliTest {
  private final CliHarness h = new CliHarness();

  @TempDir Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void pullShowsProgressPerLayerThenSuccess() {
    h.server.publish(FakeModel.named("gemma3").size(3_000_000_000L));
    CliHarness.Result r = h.run("pull", "gemma3");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("pulling manifest", lines.get(0));
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("pulling [0-9a-f]{12}:   0% ▕ +▏ 0 B/.*")), r.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("pulling [0-9a-f]{12}: 100% ▕█+▏ [0-9.]+ [KMG]B.*")),
        r.out());
    assertEquals("success", lines.get(lines.size() - 1));
    assertTrue(h.server.models().find("gemma3").isPresent(), "installed");
  }

  @Test
  void pullOfAnUnknownModelFailsInOneLine() {
    CliHarness.Result r = h.run("pull", "nosuch");
    assertTrue(r.exit() != 0);
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("llm pull"), "suggested the command that just failed: " + r.err());
  }

  @Test
  void aBaseUrlWithAWrongPathSaysTheUrlLooksWrong() {
    // OLLAMA_HOST=http://host:port/api: every route is Go's plain-text 404, not a missing model
    h.env.put("OLLAMA_HOST", h.server.baseUrl() + "/api");
    CliHarness.Result r = h.run("list");
    assertEquals(ExitCodes.CONFIG, r.exit(), r.err());
    assertTrue(r.err().contains("the URL looks wrong"), r.err());
    assertFalse(r.err().contains("not found;"), r.err());
  }

  @Test
  void listPsAndShow() {
    CliHarness.Result list = h.run("list");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().startsWith("NAME"), list.out());
    assertTrue(list.out().contains("llama3.2:latest") && list.out().contains("2.0 GB"), list.out());

    assertEquals(0, h.run("load", "llama3.2", "--keep-alive", "10m").exit());
    assertEquals(
        "10m", String.valueOf(h.server.lastRequest("/api/generate").json().getValue("keep_alive")));
    CliHarness.Result ps = h.run("ps");
    assertTrue(ps.out().startsWith("NAME"), ps.out());
    assertTrue(
        ps.out()
            .lines()
            .anyMatch(
                l -> l.matches("llama3.2:latest\\s+[0-9a-f]{12}\\s+2.0 GB\\s+100% GPU\\s+4096.*")),
        ps.out());

    CliHarness.Result show = h.run("show", "qwen3:8b");
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains("  Model") && show.out().contains("quantization"), show.out());
    assertTrue(show.out().contains("  Capabilities\n    completion\n    thinking"), show.out());
  }

  @Test
  void showAlignsTheParametersAsTheModelRows() {
    assertEquals(
        "stop                 \"<|im_end|>\"", ShowCommand.parameterRow("stop \"<|im_end|>\""));
    assertEquals(
        "temperature          0.7", ShowCommand.parameterRow("temperature                    0.7"));
    assertEquals("num_ctx              4096", ShowCommand.parameterRow("num_ctx\t4096"));
  }

  @Test
  void loadThenUnload() {
    CliHarness.Result load = h.run("load", "llama3.2");
    assertEquals(0, load.exit(), load.err());
    assertTrue(load.out().startsWith("loaded 'llama3.2:latest'"), load.out());
    assertTrue(h.server.models().isLoaded("llama3.2"));
    CliHarness.Result unload = h.run("unload", "llama3.2");
    assertEquals(0, unload.exit(), unload.err());
    assertFalse(h.server.models().isLoaded("llama3.2"));
  }

  @Test
  void copyRemoveAndVersion() {
    assertEquals(0, h.run("cp", "llama3.2", "mine").exit());
    assertTrue(h.server.models().find("mine").isPresent());
    assertEquals(0, h.run("rm", "mine").exit());
    assertFalse(h.server.models().find("mine").isPresent());
    CliHarness.Result again = h.run("rm", "mine");
    assertEquals(ExitCodes.NOT_FOUND, again.exit());
    assertEquals(
        "error: model 'mine' not found; `llm list` shows the installed models\n",
        again.err(),
        "removing a missing model: pulling it is not the advice");
    CliHarness.Result copy = h.run("cp", "nosuch", "other");
    assertEquals(ExitCodes.NOT_FOUND, copy.exit());
    assertTrue(copy.err().endsWith("`llm list` shows the installed models\n"), copy.err());
    CliHarness.Result v = h.run("version");
    assertTrue(v.out().contains("ollama version is 0.33.0"), v.out());
  }

  @Test
  void missingServerSaysHowToStartOllama() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed when the block ends: nothing listens there
    }
    h.env.put("OLLAMA_HOST", "127.0.0.1:" + port);
    for (String[] args : List.of(new String[] {"list"}, new String[] {"chat", "llama3.2", "hi"})) {
      CliHarness.Result r = h.run(args);
      assertEquals(ExitCodes.UNAVAILABLE, r.exit());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().contains("ollama serve") && r.err().contains("OLLAMA_HOST"), r.err());
      assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
    }
  }

  @Test
  void missingModelSuggestsPull() {
    CliHarness.Result r = h.run("chat", "nosuch", "hi");
    assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
    assertEquals("error: model 'nosuch' not found; try `llm pull nosuch`\n", r.err());
    assertEquals(ExitCodes.NOT_FOUND, h.run("show", "nosuch").exit());
  }

  @Test
  void missingCapabilityIsItsOwnError() {
    CliHarness.Result r = h.run("chat", "llama3.2", "hi", "--think");
    assertEquals(ExitCodes.CAPABILITY, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("thinking"), r.err());
  }

  @Test
  void debugPrintsTheStackTrace() {
    CliHarness.Result r = h.run("--debug", "chat", "nosuch", "hi");
    assertTrue(r.err().lines().count() > 1 && r.err().contains("\tat "), r.err());
  }

  @Test
  void configValidateGoodAndBad() throws IOException {
    Path good =
        Files.writeString(
            dir.resolve("good.yaml"),
            """
        providers:
          - name: local
            type: ollama
            baseUrl: http://127.0.0.1:11434
        """);
    CliHarness.Result ok = h.run("config", "validate", good.toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().contains("Valid configuration"), ok.out());
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
        providers:
          - name: local
            type: nosuchtype
        fallback: [missing]
        """);
    CliHarness.Result ko = h.run("config", "validate", bad.toString());
    assertEquals(ExitCodes.CONFIG, ko.exit());
    assertTrue(
        ko.out().contains("Invalid configuration") && ko.out().contains("nosuchtype"), ko.out());
  }

  @Test
  void providersShowsHealthAndWhoServesWhichModel() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("llm.yaml"),
            """
        defaultProvider: local
        providers:
          - name: local
            type: ollama
            baseUrl: %s
          - name: canned
            type: mock
            models: [echo]
        modelMapping:
          tiny: canned
        """
                .formatted(h.server.baseUrl()));
    CliHarness.Result r = h.run("--config", config.toString(), "providers");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l -> l.startsWith("local (default)") && l.contains("ollama") && l.contains("up")),
        r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("canned") && l.contains("mock")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("tiny\\s+canned\\s+modelMapping")), r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.matches("llama3.2:latest\\s+local\\s+installed")), r.out());
  }

  @Test
  void helpListsEveryCommand() {
    CliHarness.Result r = h.run("--help");
    assertEquals(0, r.exit());
    for (String c :
        List.of(
            "chat",
            "generate",
            "embed",
            "pull",
            "push",
            "create",
            "cp",
            "rm",
            "show",
            "list",
            "ps",
            "load",
            "unload",
            "version",
            "providers",
            "route",
            "config")) {
      assertTrue(
          r.out()
              .lines()
              .anyMatch(l -> l.startsWith("  " + c + " ") || l.startsWith("  " + c + ",")),
          c + "\n" + r.out());
    }
  }

  @Test
  void everyCommandTakesHelpAndH() {
    // `llm list --help` was an unknown option and `llm chat --help` a missing MODEL, both exit 2.
    for (String c :
        List.of(
            "chat",
            "run",
            "generate",
            "embed",
            "pull",
            "push",
            "create",
            "cp",
            "rm",
            "show",
            "list",
            "ps",
            "load",
            "unload",
            "stop",
            "version",
            "providers",
            "route",
            "config")) {
      for (String flag : List.of("--help", "-h")) {
        CliHarness.Result r = h.run(c, flag);
        assertEquals(0, r.exit(), c + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: llm "), c + " " + flag + ": " + r.out());
      }
    }
    assertTrue(h.server.requests("/api/chat").isEmpty(), "help sends nothing");
  }

  @Test
  void versionWithNoServerWarnsAndExits0() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort(); // nothing listens there once closed
    }
    h.env.put("OLLAMA_HOST", "http://127.0.0.1:" + port);
    CliHarness.Result r = h.run("version");
    assertEquals(0, r.exit(), r.err()); // was 3, where `ollama -v` warns and exits 0
    assertTrue(r.out().startsWith("client version is "), r.out());
    assertTrue(r.err().contains("could not connect"), r.err());
  }

  @Test
  void runAndStopAreAliasesAsInOllama() {
    assertEquals(0, h.run("load", "llama3.2").exit());
    CliHarness.Result stop = h.run("stop", "llama3.2");
    assertEquals(0, stop.exit(), stop.err());
    assertFalse(h.server.models().isLoaded("llama3.2"));
    CliHarness.Result run = h.run("run", "llama3.2", "hi");
    assertEquals(0, run.exit(), run.err());
    assertEquals(1, h.server.requests("/api/chat").size());
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(ExitCodes.USAGE, h.run("chat").exit());
    assertEquals(ExitCodes.USAGE, h.run("nosuchcommand").exit());
  }
}
