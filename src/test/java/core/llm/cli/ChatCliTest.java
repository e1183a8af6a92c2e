package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** chat, generate and embed, run in-process against the fake Ollama server. */
@Timeout(20)
class ChatCliTest {
  private final CliHarness h = new CliHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void streamedChatPrintsTheTokens() {
    CliHarness.Result r = h.run("chat", "llama3.2", "Say hello");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Hello there, friend!\n", r.out());
    assertEquals("", r.err());
    assertTrue(h.server.lastRequest("/api/chat").json().getBoolean("stream", true), "streamed");
  }

  @Test
  void oneShotPromptFromStdin() {
    CliHarness.Result r = h.runWithInput("What is up?\n", "chat", "llama3.2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Hello there, friend!"));
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals("What is up?", messages.getJsonObject(messages.size() - 1).getString("content"));
  }

  @Test
  void systemFormatAndThinkOptionsReachTheRequest() {
    CliHarness.Result r =
        h.run("chat", "qwen3:8b", "Hi", "--system", "Be brief", "--format", "json", "--think=high");
    assertEquals(0, r.exit(), r.err());
    var body = h.server.lastRequest("/api/chat").json();
    assertEquals("system", body.getJsonArray("messages").getJsonObject(0).getString("role"));
    assertEquals("json", body.getValue("format"));
    assertEquals("high", body.getValue("think"));
  }

  @Test
  void pipedTextGoesBeforeThePrompt() {
    // `echo text | llm chat M "summarize this"` sent only "summarize this".
    CliHarness.Result r = h.runWithInput("the notes\n", "chat", "llama3.2", "summarize this");
    assertEquals(0, r.exit(), r.err());
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals(
        "the notes\n\nsummarize this",
        messages.getJsonObject(messages.size() - 1).getString("content"));
    // generate reads stdin too (it was a usage error)
    CliHarness.Result g = h.runWithInput("x\n", "generate", "llama3.2");
    assertEquals(0, g.exit(), g.err());
    assertEquals("x", h.server.lastRequest("/api/generate").json().getString("prompt"));
  }

  @Test
  void aBareThinkNeverSwallowsThePrompt() {
    // `chat qwen3:8b --think "why is the sky blue"` took the question as the level, then "no
    // prompt".
    CliHarness.Result r = h.run("chat", "qwen3:8b", "--think", "why is the sky blue");
    assertEquals(0, r.exit(), r.err());
    var body = h.server.lastRequest("/api/chat").json();
    assertEquals(true, body.getValue("think"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(
        "why is the sky blue", messages.getJsonObject(messages.size() - 1).getString("content"));
    CliHarness.Result level = h.run("chat", "qwen3:8b", "--think", "low", "Hi");
    assertEquals(0, level.exit(), level.err());
    assertEquals("low", h.server.lastRequest("/api/chat").json().getValue("think"));
  }

  @Test
  void thinkingIsShownApartBeforeTheAnswer() {
    CliHarness.Result r = h.run("chat", "qwen3:8b", "Why?", "--think", "--show-thinking");
    assertEquals(0, r.exit(), r.err());
    String out = r.out();
    int thinking = out.indexOf("Thinking...");
    int thought = out.indexOf("Let me think.");
    int done = out.indexOf("...done thinking.");
    int answer = out.indexOf("The answer is 42.");
    assertTrue(thinking >= 0 && thinking < thought && thought < done && done < answer, out);
  }

  @Test
  void outputToAPipeCarriesNoThinkingUnlessAsked() {
    // stdout here is not a terminal: `Thinking...` and the thought used to land in the file
    CliHarness.Result r = h.run("chat", "qwen3:8b", "Why?", "--think");
    assertEquals("The answer is 42.\n", r.out());
  }

  @Test
  void hideThinkingPrintsOnlyTheAnswer() {
    CliHarness.Result r = h.run("chat", "qwen3:8b", "Why?", "--think", "--hide-thinking");
    assertEquals("The answer is 42.\n", r.out());
  }

  @Test
  void interactiveSessionKeepsHistoryAndReadsMultiLineBlocks() {
    String input = "Hi\n\"\"\"\nline one\nline two\n\"\"\"\n/bye\n";
    CliHarness.Running run =
        h.start(
            new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "llama3.2");
    assertEquals(0, run.exit.join(), run.err());
    assertTrue(
        run.out()
            .startsWith(">>> Hello there, friend!\n>>> ... ... ... Hello there, friend!\n>>> "),
        run.out());
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encode());
    assertEquals("assistant", messages.getJsonObject(1).getString("role"));
    assertEquals("line one\nline two", messages.getJsonObject(2).getString("content"));
  }

  @Test
  void ctrlCDuringAnInteractiveAnswerCancelsItAndTheSessionGoesOn() throws Exception {
    h.server.addModel(
        FakeModel.named("slow")
            .reply("one two three four five six seven eight nine ten")
            .tokenDelayMs(200));
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running run = h.start(new PipedInputStream(keys), true, "chat", "slow");
    keys.write("count\n".getBytes(StandardCharsets.UTF_8));
    keys.flush();
    CliHarness.until(() -> run.out().contains("one"));
    assertTrue(run.llm.interrupts().fire(), "an answer was in progress");
    h.server.awaitClientClose().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    CliHarness.until(() -> run.err().contains("[answer cancelled]"));
    CliHarness.until(() -> run.out().endsWith(">>> "));
    assertFalse(run.out().contains("ten"), run.out());
    assertFalse(run.llm.interrupts().fire(), "nothing in progress: Ctrl-C only prints a hint");
    CliHarness.until(() -> run.out().contains("Use Ctrl + d or /bye to exit."));
    keys.write("/bye\n".getBytes(StandardCharsets.UTF_8));
    keys.flush();
    assertEquals(0, run.exit.get(5, TimeUnit.SECONDS), run.err());
  }

  @Test
  void ctrlCDuringAOneShotAnswerKeepsThePartialAnswerAndExits130() throws Exception {
    h.server.addModel(
        FakeModel.named("slow")
            .reply("one two three four five six seven eight nine ten")
            .tokenDelayMs(200));
    CliHarness.Running run =
        h.start(new java.io.ByteArrayInputStream(new byte[0]), false, "chat", "slow", "count");
    CliHarness.until(() -> run.out().contains("two"));
    run.llm.interrupts().fire();
    assertEquals(ExitCodes.INTERRUPTED, run.exit.get(5, TimeUnit.SECONDS));
    h.server.awaitClientClose().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(run.out().startsWith("one two"), run.out());
    assertFalse(run.out().contains("ten"), run.out());
    assertEquals("[answer cancelled]\n", run.err());
  }

  @Test
  void embedPrintsVectorsAsJson() throws Exception {
    h.server.addModel(FakeModel.embedding("nomic-embed-text").embeddingLength(4));
    CliHarness.Result r = h.run("embed", "nomic-embed-text", "a", "b");
    assertEquals(0, r.exit(), r.err());
    JsonArray vectors = new JsonArray(r.out().strip());
    assertEquals(2, vectors.size());
    assertEquals(4, vectors.getJsonArray(0).size());
  }
}
