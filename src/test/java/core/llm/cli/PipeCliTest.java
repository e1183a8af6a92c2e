package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.Script;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Output to a pipe whose reader goes away ({@code llm chat M "long answer" | head -c 30}): the
 * answer is cancelled at once, so the server sees the connection close and stops generating, and
 * the program exits quietly with 141 (128 + SIGPIPE, as a program killed by the closed pipe).
 */
@Timeout(20)
class PipeCliTest {
  private final CliHarness h = new CliHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aClosedPipeCancelsAnEndlessChat() throws Exception {
    // It used to read the answer to its end (an endless one: forever).
    h.server.script("/api/chat", Script.create().endless(() -> Chunks.chatChunk("word ")));
    CliHarness.Running run =
        h.startWithClosingOutput(30, "chat", "llama3.2", "a very long answer, please");
    assertEquals(ExitCodes.BROKEN_PIPE, run.exit.get(10, TimeUnit.SECONDS), run.err());
    h.server.awaitClientClose().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(30, run.out.size());
    assertTrue(run.out().startsWith("word word "), run.out());
    assertEquals("", run.err(), "quiet: nothing on stderr");
  }

  @Test
  void aClosedPipeCancelsAnEndlessGenerate() throws Exception {
    h.server.script("/api/generate", Script.create().endless(() -> Chunks.generateChunk("tok ")));
    CliHarness.Running run = h.startWithClosingOutput(10, "generate", "llama3.2", "go on forever");
    assertEquals(ExitCodes.BROKEN_PIPE, run.exit.get(10, TimeUnit.SECONDS), run.err());
    h.server.awaitClientClose().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("", run.err());
  }
}
