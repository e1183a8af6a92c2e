package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code llm generate}: Ollama's own /api/generate against Ollama, the neutral path elsewhere. */
@Timeout(20)
class GenerateCliTest {
  private final CliHarness h = new CliHarness();
  @TempDir Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void againstOllamaItIsApiGenerateWithItsOwnOptions() throws IOException {
    // It used to send /api/chat: --suffix, --raw and context cannot be said there.
    h.server.addModel(FakeModel.named("coder").capabilities("completion", "insert").reply("x"));
    h.server.script(
        "/api/generate",
        Script.lines(
            Chunks.generateChunk("coder", "return "),
            Chunks.generateChunk("coder", "a + b"),
            Chunks.generateFinal("coder", "", "stop", Chunks.metrics())));
    Path earlier = Files.writeString(dir.resolve("ctx.json"), "[7, 8, 9]\n");
    Path saved = dir.resolve("saved.json");
    CliHarness.Result r =
        h.run(
            "generate",
            "coder",
            "def add(a, b):",
            "--suffix",
            "\n\nprint(add(1, 2))",
            "--system",
            "Complete the code",
            "--template",
            "{{ .System }} {{ .Prompt }}",
            "--format",
            "json",
            "--context",
            earlier.toString(),
            "--save-context",
            saved.toString(),
            "--stats");
    assertEquals(0, r.exit(), r.err());
    assertEquals("return a + b\n", r.out());
    assertTrue(h.server.requests("/api/chat").isEmpty(), "no chat request");
    JsonObject body = h.server.lastRequest("/api/generate").json();
    assertEquals("coder", body.getString("model"));
    assertEquals("def add(a, b):", body.getString("prompt"));
    assertEquals("\n\nprint(add(1, 2))", body.getString("suffix"));
    assertEquals("Complete the code", body.getString("system"));
    assertEquals("{{ .System }} {{ .Prompt }}", body.getString("template"));
    assertEquals("json", body.getValue("format"));
    assertEquals(new JsonArray().add(7).add(8).add(9), body.getJsonArray("context"));
    assertEquals(true, body.getValue("stream", true));
    // the final line's metrics and context
    assertEquals("[1,2,3]", Files.readString(saved).strip());
    String err = r.err();
    assertTrue(err.contains("total duration:       123.456789ms"), err);
    assertTrue(err.contains("prompt eval count:    12 token(s)"), err);
    assertTrue(err.contains("eval count:           3 token(s)"), err);
    assertTrue(err.contains("eval duration:        6.789012ms"), err);
    assertTrue(err.contains("eval rate:            441.89 tokens/s"), err);
  }

  @Test
  void rawSendsThePromptAsIsAndThinkingStaysOutOfAPipe() {
    CliHarness.Result r = h.run("generate", "llama3.2", "[INST] hi [/INST]", "--raw");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Hello there, friend!\n", r.out());
    JsonObject body = h.server.lastRequest("/api/generate").json();
    assertEquals(true, body.getValue("raw"));
    assertEquals("[INST] hi [/INST]", body.getString("prompt"));

    CliHarness.Result t = h.run("generate", "qwen3:8b", "Why?", "--think=high");
    assertEquals(0, t.exit(), t.err());
    assertEquals("The answer is 42.\n", t.out());
    assertEquals("high", h.server.lastRequest("/api/generate").json().getValue("think"));
  }

  @Test
  void anUnknownModelSaysSoInOneLine() {
    CliHarness.Result r = h.run("generate", "nosuch", "hi");
    assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
    assertEquals("error: model 'nosuch' not found; try `llm pull nosuch`\n", r.err());
    assertEquals(1, h.server.requests("/api/generate").size());
  }

  @Test
  void ctrlCCancelsTheGeneration() throws Exception {
    h.server.script("/api/generate", Script.create().endless(() -> Chunks.generateChunk("tok ")));
    CliHarness.Running run =
        h.start(new java.io.ByteArrayInputStream(new byte[0]), false, "generate", "llama3.2", "go");
    CliHarness.until(() -> run.out().contains("tok tok"));
    assertTrue(run.llm.interrupts().fire(), "a generation was in progress");
    assertEquals(ExitCodes.INTERRUPTED, run.exit.get(5, java.util.concurrent.TimeUnit.SECONDS));
    h.server
        .awaitClientClose()
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("[answer cancelled]\n", run.err());
  }

  @Test
  void anotherKindOfProviderKeepsTheNeutralPathAndRefusesOllamaOnlyOptions() throws IOException {
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
    CliHarness.Result r = h.run("--config", config.toString(), "generate", "tiny", "ping");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("ping"), r.out());
    CliHarness.Result direct =
        h.run("--config", config.toString(), "--provider", "canned", "generate", "echo", "pong");
    assertEquals(0, direct.exit(), direct.err());
    assertTrue(direct.out().contains("pong"), direct.out());
    assertTrue(h.server.requests("/api/generate").isEmpty(), "nothing reached Ollama");
    assertTrue(h.server.requests("/api/chat").isEmpty(), "nothing reached Ollama");

    CliHarness.Result suffix =
        h.run("--config", config.toString(), "generate", "tiny", "ping", "--suffix", "s");
    assertEquals(ExitCodes.ERROR, suffix.exit(), suffix.err());
    assertTrue(suffix.err().contains("--suffix needs an Ollama provider"), suffix.err());
  }
}
