package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive chat as a user drives it: a JLine terminal fed with key presses (arrows, Ctrl-L,
 * Ctrl-C, Ctrl-D), plain piped lines, slash commands, statistics, the pull offer and the spinner.
 */
@Timeout(30)
class ReplCliTest {
  // what xterm sends in the keypad mode JLine switches on (smkx); CSI forms are bound as well
  private static final String LEFT = "\033OD";
  private static final String UP = "\033[A";

  private final CliHarness h = new CliHarness();
  @TempDir Path state;

  @AfterEach
  void close() {
    h.close();
  }

  private static String lastUserMessage(JsonObject body) {
    JsonArray messages = body.getJsonArray("messages");
    return messages.getJsonObject(messages.size() - 1).getString("content");
  }

  private String lastUserMessage() throws InterruptedException {
    // the request is recorded when it arrives, its body a moment later
    CliHarness.until(() -> !h.server.lastRequest("/api/chat").bodyText().isEmpty());
    return lastUserMessage(h.server.lastRequest("/api/chat").json());
  }

  private void awaitChats(int n) throws Exception {
    h.server
        .awaitRequests("/api/chat", n)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static void type(PipedOutputStream keys, String s) throws IOException {
    keys.write(s.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  @Test
  void arrowsEditCtrlLClearsUpRecallsAndLongLinesArriveWhole() throws Exception {
    // Left arrow and Ctrl-L reached the model as raw bytes ("\fhelo wrld\e[D\e[D\e[Do"), up
    // arrow recalled nothing and a 5,000-character line was cut to 4,095.
    PipedOutputStream keys = new PipedOutputStream();
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    CliHarness.Running run =
        h.startTerminal(new PipedInputStream(keys, 1 << 16), screen, false, "chat", "llama3.2");
    type(keys, "hllo" + LEFT + LEFT + LEFT + "e\r");
    awaitChats(1);
    assertEquals("hello", lastUserMessage());
    type(keys, "\f" + "hi\r");
    awaitChats(2);
    assertEquals("hi", lastUserMessage());
    type(keys, UP + UP + "\r");
    awaitChats(3);
    assertEquals("hello", lastUserMessage());
    String longLine = "x".repeat(5_000) + " end";
    // pasted: a terminal wraps it in bracketed-paste marks, which JLine asks for
    type(keys, "\033[200~" + longLine + "\033[201~\r");
    awaitChats(4);
    assertEquals(longLine, lastUserMessage());
    type(keys, "\u0004"); // Ctrl-D
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertTrue(run.out().contains("Hello there, friend!"), run.out());
  }

  @Test
  void historyIsKeptInTheStateFolderAcrossSessions() throws Exception {
    h.env.put("XDG_STATE_HOME", state.toString());
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running first =
        h.startTerminal(
            new PipedInputStream(keys), new ByteArrayOutputStream(), false, "chat", "llama3.2");
    type(keys, "what is up\r");
    awaitChats(1);
    type(keys, "/bye\r");
    assertEquals(0, first.exit.get(10, TimeUnit.SECONDS), first.err());
    Path file = state.resolve("core-llm").resolve("history");
    assertTrue(Files.readString(file).contains("what is up"), Files.readString(file));

    PipedOutputStream keys2 = new PipedOutputStream();
    CliHarness.Running second =
        h.startTerminal(
            new PipedInputStream(keys2), new ByteArrayOutputStream(), false, "chat", "llama3.2");
    type(keys2, UP + UP + "\r"); // "/bye", then "what is up"
    awaitChats(2);
    assertEquals("what is up", lastUserMessage());
    type(keys2, "\u0004");
    assertEquals(0, second.exit.get(10, TimeUnit.SECONDS), second.err());
  }

  @Test
  void ctrlCOnTheTerminalCancelsTheAnswerAndTheSessionGoesOn() throws Exception {
    h.server.addModel(
        FakeModel.named("slow")
            .reply("one two three four five six seven eight nine ten")
            .tokenDelayMs(200));
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running run =
        h.startTerminal(
            new PipedInputStream(keys), new ByteArrayOutputStream(), false, "chat", "slow");
    type(keys, "count\r");
    CliHarness.until(() -> run.out().contains("one"));
    type(keys, "\u0003"); // Ctrl-C while the answer streams
    h.server.awaitClientClose().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    CliHarness.until(() -> run.err().contains("[answer cancelled]"));
    assertFalse(run.out().contains("ten"), run.out());
    type(keys, "again\r"); // still in the session
    awaitChats(2);
    assertEquals("again", lastUserMessage());
    type(keys, "\u0003"); // cancel that one too, then Ctrl-C at the prompt only hints
    CliHarness.until(() -> run.err().split("answer cancelled", -1).length == 3);
    type(keys, "\u0003");
    CliHarness.until(() -> run.out().contains("Use Ctrl + d or /bye to exit."));
    type(keys, "\u0004");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
  }

  @Test
  void multiLineBlocksOnTheTerminal() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running run =
        h.startTerminal(
            new PipedInputStream(keys), new ByteArrayOutputStream(), false, "chat", "llama3.2");
    type(keys, "\"\"\"\rline one\rline two\r\"\"\"\r");
    awaitChats(1);
    assertEquals("line one\nline two", lastUserMessage());
    type(keys, "/exit\r");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
  }

  @Test
  void aPipedLineLongerThanATerminalLineArrivesWhole() throws Exception {
    String longLine = "y".repeat(6_000);
    CliHarness.Running run =
        h.start(
            new ByteArrayInputStream((longLine + "\n/bye\n").getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "llama3.2");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertEquals(longLine, lastUserMessage());
    CliHarness.Result oneShot = h.runWithInput(longLine + "\n", "chat", "llama3.2");
    assertEquals(0, oneShot.exit(), oneShot.err());
    assertEquals(longLine, lastUserMessage());
  }

  @Test
  void setParameterGoesWithEachMessageAndSaveCreatesAModelOfTheSession() throws Exception {
    String session =
        "/set parameter num_ctx 8192\n/set parameter stop <end>\n/set system Be brief.\nhi\n"
            + "/save brief\n/bye\n";
    CliHarness.Running run =
        h.start(
            new ByteArrayInputStream(session.getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "llama3.2");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    io.vertx.core.json.JsonObject chat = h.server.lastRequest("/api/chat").json();
    assertEquals(8192, chat.getJsonObject("options").getInteger("num_ctx"), chat.encode());
    assertEquals(
        new io.vertx.core.json.JsonArray().add("<end>"),
        chat.getJsonObject("options").getJsonArray("stop"));
    io.vertx.core.json.JsonObject create = h.server.lastRequest("/api/create").json();
    assertEquals("brief", create.getString("model"));
    assertEquals("llama3.2", create.getString("from"));
    assertEquals("Be brief.", create.getString("system"));
    assertEquals(8192, create.getJsonObject("parameters").getInteger("num_ctx"));
    assertEquals(2, create.getJsonArray("messages").size(), create.encode());
    assertEquals("hi", create.getJsonArray("messages").getJsonObject(0).getString("content"));
    assertTrue(run.out().contains("Created new model 'brief'"), run.out());
  }

  @Test
  void slashCommandsSetSystemThinkVerboseShowLoadAndClear() throws Exception {
    String input =
        String.join(
            "\n",
            "/set system Talk like a pirate",
            "Hi",
            "/load qwen3:8b",
            "/set think high",
            "/set verbose",
            "Again",
            "/show info",
            "/frobnicate",
            "/clear",
            "/set think off",
            "/set quiet",
            "Last",
            "/bye",
            "");
    CliHarness.Running run =
        h.start(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "llama3.2");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    var chats = h.server.requests("/api/chat");
    CliHarness.until(() -> chats.stream().noneMatch(c -> c.bodyText().isEmpty()));
    assertEquals(3, chats.size());
    JsonObject first = chats.get(0).json();
    assertEquals(
        "Talk like a pirate", first.getJsonArray("messages").getJsonObject(0).getString("content"));
    assertNull(first.getValue("think"));
    assertEquals("llama3.2", first.getString("model"));
    JsonObject second = chats.get(1).json();
    assertEquals("qwen3:8b", second.getString("model"));
    assertEquals("high", second.getValue("think"));
    assertEquals(4, second.getJsonArray("messages").size(), "system, Hi, answer, Again");
    JsonObject third = chats.get(2).json();
    assertEquals("qwen3:8b", third.getString("model"));
    assertEquals(false, third.getValue("think"));
    assertEquals(2, third.getJsonArray("messages").size(), "cleared: system and Last only");
    String out = run.out();
    assertTrue(out.contains("Set system message."), out);
    assertTrue(out.contains("  Model"), out); // /show info
    assertTrue(out.contains("Unknown command '/frobnicate'. Type /? for help"), out);
    assertTrue(out.contains("Cleared session context"), out);
    assertTrue(out.contains("Loading model 'qwen3:8b'"), out);
    // verbose: one statistics block, after "Again" only
    String err = run.err();
    assertEquals(1, err.lines().filter(l -> l.startsWith("eval count:")).count(), err);
    assertTrue(err.contains("total duration:"), err);
    assertTrue(err.contains("eval rate:"), err);
    assertTrue(err.contains("first token after:"), err);
  }

  @Test
  void verboseOneShotPrintsStatisticsOnStderr() {
    CliHarness.Result r = h.run("chat", "llama3.2", "Hi", "--verbose");
    assertEquals(0, r.exit(), r.err());
    assertEquals("Hello there, friend!\n", r.out());
    assertTrue(r.err().contains("prompt eval count:"), r.err());
    assertTrue(r.err().contains("eval rate:"), r.err());
    CliHarness.Result g = h.run("generate", "llama3.2", "Hi", "--verbose");
    assertTrue(g.err().contains("eval count:"), g.err());
  }

  @Test
  void anUnknownModelIsOfferedForPullOnATerminal() throws Exception {
    h.server.publish(FakeModel.named("gemma3:1b").reply("Pulled and ready."));
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running run =
        h.startTerminal(
            new PipedInputStream(keys), new ByteArrayOutputStream(), false, "chat", "gemma3:1b");
    type(keys, "y\r");
    h.server
        .awaitRequests("/api/pull", 1)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    type(keys, "Hi\r");
    awaitChats(1);
    CliHarness.until(() -> run.out().contains("Pulled and ready."));
    type(keys, "\u0004");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertTrue(run.out().contains("success"), run.out());
  }

  @Test
  void declinedPullEndsTheSession() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    CliHarness.Running run =
        h.startTerminal(
            new PipedInputStream(keys), new ByteArrayOutputStream(), false, "chat", "nope");
    type(keys, "n\r");
    assertEquals(ExitCodes.NOT_FOUND, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertTrue(run.err().contains("llm pull nope"), run.err());
    assertTrue(h.server.requests("/api/pull").isEmpty());
    assertTrue(h.server.requests("/api/chat").isEmpty());
  }

  @Test
  void anUnknownModelWithoutATerminalFailsAtOnceNamingThePull() throws Exception {
    // The session used to start, then fail on every message.
    CliHarness.Running run =
        h.start(
            new ByteArrayInputStream("Hi\nHello\n/bye\n".getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "nope");
    assertEquals(ExitCodes.NOT_FOUND, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertTrue(run.err().contains("`llm pull nope`"), run.err());
    assertTrue(h.server.requests("/api/chat").isEmpty());
  }

  @Test
  void aSpinnerSaysWhatItWaitsForOnATerminalStderrAndIsGoneBeforeTheAnswer() throws Exception {
    h.server.addModel(FakeModel.named("big").reply("Finally.").loadDelayMs(400));
    CliHarness.Running run =
        h.startWithTtyErr(new ByteArrayInputStream(new byte[0]), "chat", "big", "Hi");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    assertEquals("Finally.\n", run.out());
    String err = run.err();
    assertTrue(err.contains("loading big…"), err);
    assertTrue(err.endsWith("\r\033[K"), "erased: " + err);
    for (String frame : err.split("\r")) {
      assertTrue(ProgressPrinter.width(frame.replace("\033[K", "")) < 80, frame);
    }
  }

  @Test
  void noSpinnerWhenStderrIsNotATerminal() {
    h.server.addModel(FakeModel.named("big").reply("Finally.").loadDelayMs(300));
    CliHarness.Result r = h.run("chat", "big", "Hi");
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
  }

  @Test
  void theSpinnerFitsANarrowTerminal() throws Exception {
    h.env.put("COLUMNS", "12");
    h.server.addModel(
        FakeModel.named("a-model-with-a-long-name").reply("Finally.").loadDelayMs(300));
    CliHarness.Running run =
        h.startWithTtyErr(
            new ByteArrayInputStream(new byte[0]), "chat", "a-model-with-a-long-name", "Hi");
    assertEquals(0, run.exit.get(10, TimeUnit.SECONDS), run.err());
    for (String frame : run.err().split("\r")) {
      assertTrue(ProgressPrinter.width(frame.replace("\033[K", "")) <= 11, frame);
    }
    assertTrue(run.err().contains("…"), run.err());
  }
}
