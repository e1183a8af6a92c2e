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

/** push and create, run in-process against the fake Ollama server. */
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
      assertTrue(
          lines.stream().anyMatch(l -> l.matches("pushing " + hex + ":   0% ▕ +▏ 0 B/.*")),
          hex + "\n" + r.out());
      assertTrue(
          lines.stream()
              .anyMatch(l -> l.matches("pushing " + hex + ": 100% ▕█+▏ [0-9.]+ [KMG]?B.*")),
          hex + "\n" + r.out());
    }
    assertTrue(lines.indexOf("pushing manifest") > 0, r.out());
    assertEquals("success", lines.get(lines.size() - 1), r.out());
    assertFalse(r.out().contains("\r"), "no in-place redraws outside a terminal");
    assertTrue(
        h.server.models().inRegistry("llama3.2").isPresent(), "the fake registry has it now");
  }

  @Test
  void pushSendsTheModelNameAndAsksForAStream() {
    assertEquals(0, h.run("push", "llama3.2").exit());
    JsonObject body = h.server.lastRequest("/api/push").json();
    assertEquals("llama3.2", body.getString("model"));
    assertEquals(Boolean.TRUE, body.getValue("stream"), body.encode());
    assertFalse(body.containsKey("insecure"), "insecure only when asked for: " + body.encode());
    assertFalse(
        body.containsKey("name"), "the deprecated name field is not sent: " + body.encode());

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
    assertEquals(
        List.of("retrieving manifest", "couldn't retrieve manifest"), r.out().lines().toList());
  }

  @Test
  void pushThatFailsMidStreamKeepsTheProgressAndExitsNonZero() {
    String digest = FakeModel.named("llama3.2").layers().get(0).digest();
    h.server.script(
        "/api/push",
        Script.lines(
            Chunks.progress("retrieving manifest"),
            Chunks.progress("pushing " + digest.substring(7, 19), digest, 1000L, 0L),
            Chunks.progress("pushing " + digest.substring(7, 19), digest, 1000L, 500L),
            Chunks.errorLine("unauthorized: access denied to namespace 'library'")));
    CliHarness.Result r = h.run("push", "llama3.2");
    // refused by ollama.com after the 200 head: still "unauthorized" (6), not a server fault (9)
    assertEquals(ExitCodes.UNAUTHORIZED, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("access denied"), r.err());
    assertTrue(
        r.out().startsWith("retrieving manifest\npushing " + digest.substring(7, 19) + ":   0%"),
        r.out());
    assertTrue(r.out().contains(":  50%"), r.out());
    assertFalse(r.out().contains("success"), r.out());
  }

  // ---- create ----

  @Test
  void createFromABaseModelWithASystemMessage() {
    CliHarness.Result r =
        h.run("create", "pirate", "--from", "llama3.2", "--system", "Talk like a pirate.");
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    for (FakeModel.Layer layer : FakeModel.named("llama3.2").layers()) {
      assertTrue(lines.contains("using existing layer " + layer.digest()), r.out());
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("creating new layer sha256:")), r.out());
    assertEquals("success", lines.get(lines.size() - 1), r.out());

    JsonObject body = h.server.lastRequest("/api/create").json();
    assertEquals("pirate", body.getString("model"));
    assertEquals("llama3.2", body.getString("from"));
    assertEquals("Talk like a pirate.", body.getString("system"));
    assertEquals(Boolean.TRUE, body.getValue("stream"));
    assertFalse(
        body.containsKey("name") || body.containsKey("modelfile") || body.containsKey("files"),
        body.encode());
    for (String unset : List.of("template", "parameters", "quantize", "license")) {
      assertFalse(body.containsKey(unset), unset + " was not given: " + body.encode());
    }

    assertTrue(h.server.models().find("pirate").isPresent(), "created");
    CliHarness.Result system = h.run("show", "pirate", "--system");
    assertEquals("Talk like a pirate.\n", system.out(), system.err());
  }

  @Test
  void createSendsTemplateLicenseQuantizeAndTypedParameters() {
    CliHarness.Result r =
        h.run(
            "create",
            "tuned",
            "--from",
            "llama3.2",
            "--template",
            "{{ .Prompt }}!",
            "--license",
            "MIT",
            "--quantize",
            "q4_K_M",
            "-p",
            "temperature=0.2",
            "--parameter",
            "num_ctx=8192",
            "-p",
            "stop=<|eot|>",
            "-p",
            "use_mmap=false");
    assertEquals(0, r.exit(), r.err());
    JsonObject body = h.server.lastRequest("/api/create").json();
    assertEquals("{{ .Prompt }}!", body.getString("template"));
    assertEquals("MIT", body.getValue("license"));
    assertEquals("q4_K_M", body.getString("quantize"));
    JsonObject params = body.getJsonObject("parameters");
    // Typed as Ollama expects them: a string where a number belongs fails on the server.
    assertEquals(
        0.2, ((Number) params.getValue("temperature")).doubleValue(), 1e-9, params.encode());
    assertEquals(8192, params.getValue("num_ctx"), params.encode());
    assertEquals(new JsonArray().add("<|eot|>"), params.getValue("stop"), params.encode());
    assertEquals(Boolean.FALSE, params.getValue("use_mmap"), params.encode());
  }

  @Test
  void createWithSeveralStopSequencesSendsThemAll() {
    // A Modelfile may have several PARAMETER stop lines; the option is repeatable, so all must
    // arrive.
    CliHarness.Result r =
        h.run("create", "tuned", "--from", "llama3.2", "-p", "stop=<|eot|>", "-p", "stop=</s>");
    assertEquals(0, r.exit(), r.err());
    JsonObject params = h.server.lastRequest("/api/create").json().getJsonObject("parameters");
    assertEquals(
        new JsonArray().add("<|eot|>").add("</s>"), params.getValue("stop"), params.encode());
  }

  @Test
  void aParameterOfTheWrongTypeIsAUsageErrorThatSaysWhatIsExpected() {
    CliHarness.Result r = h.run("create", "tuned", "--from", "llama3.2", "-p", "num_ctx=big");
    assertEquals(ExitCodes.USAGE, r.exit(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertEquals(
        "Invalid value for option '--parameter' (KEY=VALUE): num_ctx must be a whole number, not 'big'",
        first,
        r.err());
    assertFalse(
        r.err().contains("deserialize") || r.err().contains("Source:"),
        "no parser internals: " + r.err());

    CliHarness.Result temperature =
        h.run("create", "tuned", "--from", "llama3.2", "-p", "temperature=warm");
    assertEquals(ExitCodes.USAGE, temperature.exit(), temperature.err());
    assertTrue(
        temperature
            .err()
            .startsWith(
                "Invalid value for option '--parameter' (KEY=VALUE): temperature must be a number, not 'warm'\n"),
        temperature.err());

    CliHarness.Result flag = h.run("create", "tuned", "--from", "llama3.2", "-p", "use_mmap=yes");
    assertEquals(ExitCodes.USAGE, flag.exit(), flag.err());
    assertTrue(flag.err().contains("use_mmap must be true or false, not 'yes'"), flag.err());

    CliHarness.Result noValue = h.run("create", "tuned", "--from", "llama3.2", "-p", "temperature");
    assertEquals(ExitCodes.USAGE, noValue.exit(), noValue.err());
    assertTrue(noValue.err().contains("KEY=VALUE"), noValue.err());
    assertTrue(h.server.requests().isEmpty(), "nothing was sent: " + h.server.requests());
  }

  @Test
  void createFromAMissingBaseModelSuggestsPullingIt() {
    CliHarness.Result r = h.run("create", "mine", "--from", "nosuch");
    assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
    assertEquals("error: model 'nosuch' not found; try `llm pull nosuch`\n", r.err());
    assertFalse(h.server.models().find("mine").isPresent());
  }

  @Test
  void createWithoutFromIsAUsageError() {
    CliHarness.Result r = h.run("create", "mine");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.err().contains("--from"), r.err());
    assertTrue(h.server.requests().isEmpty(), "nothing was sent");
  }

  @Test
  void quantizeProgressIsShownAsABar() {
    // Real servers report quantization with a placeholder digest of zeros, sizes in bytes.
    String zeros = "0000000000000000000";
    h.server.script(
        "/api/create",
        Script.lines(
            Chunks.progress("using existing layer sha256:" + "ab".repeat(32)),
            Chunks.progress("quantizing F16 model to Q4_K_M", zeros, 4_000_000L, null),
            Chunks.progress("quantizing F16 model to Q4_K_M", zeros, 4_000_000L, 2_000_000L),
            Chunks.progress("quantizing F16 model to Q4_K_M", zeros, 4_000_000L, 4_000_000L),
            Chunks.progress("writing manifest"),
            Chunks.progress("success")));
    CliHarness.Result r = h.run("create", "small", "--from", "llama3.2", "--quantize", "q4_K_M");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("quantizing F16 model to Q4_K_M.*:   0% ▕ +▏ 0 B/4.0 MB.*")),
        r.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("quantizing F16 model to Q4_K_M.*:  50% .*")),
        r.out());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("quantizing F16 model to Q4_K_M.*: 100% ▕█+▏ 4.0 MB.*")),
        r.out());
    assertEquals("success", lines.get(lines.size() - 1), r.out());
    assertEquals("q4_K_M", h.server.lastRequest("/api/create").json().getString("quantize"));
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void createFromAModelfileAsOllamaCreateTakesIt() throws Exception {
    java.nio.file.Path modelfile = dir.resolve("Modelfile");
    java.nio.file.Files.writeString(
        modelfile,
        """
        FROM llama3.2
        PARAMETER temperature 0.3
        PARAMETER stop <|end|>
        SYSTEM \"""You answer
        in one line.\"""
        MESSAGE user hi
        MESSAGE assistant hello
        """);
    CliHarness.Result r = h.run("create", "oneliner", "-f", modelfile.toString());
    assertEquals(0, r.exit(), r.err());
    JsonObject body = h.server.lastRequest("/api/create").json();
    assertEquals("oneliner", body.getString("model"));
    assertEquals("llama3.2", body.getString("from"));
    assertEquals("You answer\nin one line.", body.getString("system"));
    assertEquals(
        new JsonObject().put("temperature", 0.3).put("stop", new JsonArray().add("<|end|>")),
        body.getJsonObject("parameters"));
    assertEquals(2, body.getJsonArray("messages").size());
    assertTrue(h.server.models().find("oneliner").isPresent(), "created");
  }

  @Test
  void aModelfileFromALocalGgufUploadsItFirst() throws Exception {
    java.nio.file.Files.write(dir.resolve("tiny.gguf"), "GGUF weights".getBytes());
    java.nio.file.Files.writeString(dir.resolve("Modelfile"), "FROM ./tiny.gguf\n");
    CliHarness.Result r =
        h.run("create", "tiny", "-f", dir.resolve("Modelfile").toString(), "--quantize", "q4_K_M");
    assertEquals(0, r.exit(), r.err());
    JsonObject body = h.server.lastRequest("/api/create").json();
    String digest = body.getJsonObject("files").getString("tiny.gguf");
    assertTrue(digest.startsWith("sha256:"), body.encode());
    assertTrue(h.server.blobs().has(digest), "uploaded before create");
    assertEquals("q4_K_M", body.getString("quantize"));
  }

  @Test
  void createNeedsAModelfileOrABaseModel() throws Exception {
    CliHarness.Result r = h.run("create", "x");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("give a Modelfile (-f FILE) or a model to start from"), r.err());
    java.nio.file.Files.writeString(dir.resolve("Bad"), "FROM a\nFORM b\n");
    CliHarness.Result bad = h.run("create", "x", "-f", dir.resolve("Bad").toString());
    assertTrue(bad.err().contains("Modelfile line 2: unknown instruction 'FORM'"), bad.err());
  }
}
