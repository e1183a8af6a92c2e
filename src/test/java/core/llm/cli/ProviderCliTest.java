package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --provider NAME} with a configuration of several providers ({@code --config FILE}): two
 * fake Ollama servers ({@code first}, the default, and {@code second}), one Ollama nobody listens
 * for ({@code down}) and a mock.
 */
@Timeout(20)
class ProviderCliTest {
  private final CliHarness h = new CliHarness();
  private FakeOllamaServer second;
  private String downUrl;
  private Path config;

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws IOException {
    second = FakeOllamaServer.start(h.vertx).await();
    second.addModel(FakeModel.named("llama3.2").reply("Greetings from the second server."));
    second.addModel(FakeModel.named("only-on-second").reply("Second only."));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed when the block ends: nothing listens there
    }
    downUrl = "http://127.0.0.1:" + port;
    config =
        Files.writeString(
            dir.resolve("llm.yaml"),
            """
        defaultProvider: first
        providers:
          - name: first
            type: ollama
            baseUrl: %s
          - name: second
            type: ollama
            baseUrl: %s
          - name: down
            type: ollama
            baseUrl: %s
          - name: canned
            type: mock
            models: [echo]
        fallback: [first]
        aliases: { quick: only-on-second }
        """
                .formatted(h.server.baseUrl(), second.baseUrl(), downUrl));
    // OLLAMA_HOST must not matter once a configuration names the servers.
    h.env.put("OLLAMA_HOST", downUrl);
  }

  @AfterEach
  void close() {
    second.close().await();
    h.close();
  }

  @Test
  void withoutProviderTheDefaultOneAnswers() {
    CliHarness.Result r = h.run("--config", config.toString(), "chat", "llama3.2", "hi");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Hello there, friend!\n", r.out());
    assertEquals(1, h.server.requests("/api/chat").size());
    assertTrue(second.requests("/api/chat").isEmpty());
  }

  @Test
  void theNamedProviderAnswers() {
    CliHarness.Result r =
        h.run("--config", config.toString(), "chat", "llama3.2", "hi", "--provider", "second");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Greetings from the second server.\n", r.out());
    assertEquals("llama3.2", second.lastRequest("/api/chat").json().getString("model"));
    assertTrue(h.server.requests("/api/chat").isEmpty(), "the default provider was not asked");
  }

  @Test
  void aNamedProviderStillResolvesAliases() {
    // --provider bypasses the router; the alias used to reach the server as 'quick' (model not
    // found)
    CliHarness.Result r =
        h.run("--config", config.toString(), "chat", "quick", "hi", "--provider", "second");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Second only.\n", r.out());
    assertEquals("only-on-second", second.lastRequest("/api/chat").json().getString("model"));
  }

  @Test
  void providerAndConfigWorkBeforeOrAfterTheCommandName() {
    CliHarness.Result r =
        h.run(
            "--provider",
            "second",
            "generate",
            "only-on-second",
            "hi",
            "--config",
            config.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("Second only.\n", r.out());
    assertEquals(1, second.requests("/api/generate").size()); // generate is native on Ollama
  }

  @Test
  void aNamedProviderThatIsDownFailsWithoutFailover() {
    CliHarness.Result r =
        h.run("--config", config.toString(), "--provider", "down", "chat", "llama3.2", "hi");
    assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(downUrl), r.err());
    assertEquals("", r.out());
    // fallback: [first] is for routing by model; a provider named on the command line is used
    // alone.
    assertTrue(h.server.requests("/api/chat").isEmpty(), "no failover to " + h.server.requests());
  }

  @Test
  void anUnknownProviderNamesTheConfiguredOnes() {
    CliHarness.Result r =
        h.run("--config", config.toString(), "chat", "llama3.2", "hi", "--provider", "nosuch");
    assertEquals(ExitCodes.CONFIG, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    String line = r.err();
    assertTrue(line.startsWith("error: ") && line.contains("'nosuch'"), line);
    for (String name : new String[] {"first", "second", "down", "canned"}) {
      assertTrue(line.contains(name), name + " missing from: " + line);
    }
    assertEquals("", r.out());
    assertTrue(h.server.requests().isEmpty() && second.requests().isEmpty(), "nothing was sent");
  }

  @Test
  void aMockProviderAnswersWithoutAnyServer() {
    CliHarness.Result r =
        h.run("--config", config.toString(), "--provider", "canned", "chat", "echo", "hi there");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Echo: hi there\n", r.out(), "the mock echoes the prompt");
    assertTrue(h.server.requests("/api/chat").isEmpty() && second.requests("/api/chat").isEmpty());
  }

  @Test
  void modelManagementUsesTheNamedOllamaProvider() {
    CliHarness.Result list = h.run("--config", config.toString(), "--provider", "second", "list");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("only-on-second:latest"), list.out());

    CliHarness.Result push =
        h.run("--config", config.toString(), "push", "only-on-second", "--provider", "second");
    assertEquals(0, push.exit(), push.err());
    assertEquals("only-on-second", second.lastRequest("/api/push").json().getString("model"));
    assertTrue(h.server.requests("/api/push").isEmpty());

    CliHarness.Result mock = h.run("--config", config.toString(), "--provider", "canned", "list");
    assertNotEquals(0, mock.exit());
    assertEquals(1, mock.err().lines().count(), mock.err());
    assertTrue(mock.err().contains("canned") && mock.err().contains("ollama"), mock.err());
  }

  @Test
  void anUnknownProviderIsTheSameErrorForModelManagementAsForChat() {
    CliHarness.Result chat =
        h.run("--config", config.toString(), "--provider", "nosuch", "chat", "llama3.2", "hi");
    CliHarness.Result push =
        h.run("--config", config.toString(), "--provider", "nosuch", "push", "llama3.2");
    assertEquals(chat.exit(), push.exit(), push.err());
    assertEquals(chat.err(), push.err());
    assertTrue(h.server.requests().isEmpty() && second.requests().isEmpty(), "nothing was sent");
  }
}
