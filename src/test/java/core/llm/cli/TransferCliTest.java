package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** push, run in-process against the fake Ollama server. */
@Timeout(20)
class TransferCliTest {
  private final CliHarness h = new CliHarness();

  @AfterEach
  void close() {
    h.close();
  }

  // ---- push ----

  @Test
  void pushShowsProgressPerLayerThenSuccess() {
    CliHarness.Result r = h.run("push", "llama3.2");
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("retrieving manifest", lines.get(0), r.out());
    for (FakeModel.Layer layer : FakeModel.named("llama3.2").layers()) {
      String hex = layer.digest().substring("sha256:".length(), "sha256:".length() + 12);
      // Not a terminal: plain lines, the layer's start and its end among them.
      assertTrue(lines.stream().anyMatch(l -> l.matches("pushing " + hex + ":   0% ▕ +▏ 0 B/.*")), hex + "\n" + r.out());
      assertTrue(lines.stream().anyMatch(l -> l.matches("pushing " + hex + ": 100% ▕█+▏ [0-9.]+ [KMG]?B.*")),
          hex + "\n" + r.out());
    }
    assertTrue(lines.indexOf("pushing manifest") > 0, r.out());
    assertEquals("success", lines.get(lines.size() - 1), r.out());
    assertFalse(r.out().contains("\r"), "no in-place redraws outside a terminal");
    assertTrue(h.server.models().inRegistry("llama3.2").isPresent(), "the fake registry has it now");
  }

  @Test
  void pushSendsTheModelNameAndAsksForAStream() {
    assertEquals(0, h.run("push", "llama3.2").exit());
    JsonObject body = h.server.lastRequest("/api/push").json();
    assertEquals("llama3.2", body.getString("model"));
    assertEquals(Boolean.TRUE, body.getValue("stream"), body.encode());
    assertFalse(body.containsKey("insecure"), "insecure only when asked for: " + body.encode());
    assertFalse(body.containsKey("name"), "the deprecated name field is not sent: " + body.encode());

    assertEquals(0, h.run("push", "llama3.2", "--insecure").exit());
    assertEquals(Boolean.TRUE, h.server.lastRequest("/api/push").json().getValue("insecure"));
  }

  @Test
  void pushOfAModelThatIsNotInstalledFailsInOneLineWithoutSuggestingAPull() {
    CliHarness.Result r = h.run("push", "nosuch");
    assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("'nosuch'"), r.err());
    // Pulling a model that is not on the registry cannot help; the local list is what to look at.
    assertFalse(r.err().contains("llm pull"), r.err());
    assertTrue(r.err().contains("llm list"), r.err());
    // The status lines that came before the error were shown, nothing after them.
    assertEquals(List.of("retrieving manifest", "couldn't retrieve manifest"), r.out().lines().toList());
  }

  @Test
  void pushThatFailsMidStreamKeepsTheProgressAndExitsNonZero() {
    String digest = FakeModel.named("llama3.2").layers().get(0).digest();
    h.server.script("/api/push", Script.lines(
        Chunks.progress("retrieving manifest"),
        Chunks.progress("pushing " + digest.substring(7, 19), digest, 1000L, 0L),
        Chunks.progress("pushing " + digest.substring(7, 19), digest, 1000L, 500L),
        Chunks.errorLine("unauthorized: access denied to namespace 'library'")));
    CliHarness.Result r = h.run("push", "llama3.2");
    assertNotEquals(0, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("access denied"), r.err());
    assertTrue(r.out().startsWith("retrieving manifest\npushing " + digest.substring(7, 19) + ":   0%"), r.out());
    assertTrue(r.out().contains(":  50%"), r.out());
    assertFalse(r.out().contains("success"), r.out());
  }
}
