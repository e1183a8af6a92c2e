package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --image FILE} on chat and generate, run in-process against the fake Ollama server. */
@Timeout(20)
class ImageCliTest {
  /** The start of a PNG file, and bytes that base64 turns into '+' and '/'. */
  private static final byte[] PNG = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) 0xfb, (byte) 0xff, (byte) 0xfe, 0, 1
  };

  private static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'
  };

  private final CliHarness h = new CliHarness();

  @TempDir Path dir;

  private Path png;
  private Path jpeg;

  @BeforeEach
  void setUp() throws IOException {
    h.server.addModel(
        FakeModel.named("llava").capabilities("completion", "vision").reply("A cat on a mat."));
    png = Files.write(dir.resolve("cat.png"), PNG);
    jpeg = Files.write(dir.resolve("dog.JPG"), JPEG);
  }

  @AfterEach
  void close() {
    h.close();
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void chatSendsTheImageBase64InTheFirstUserMessage() {
    CliHarness.Result r = h.run("chat", "llava", "What is this?", "--image", png.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("A cat on a mat.\n", r.out());
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals(1, messages.size(), messages.encode());
    JsonObject user = messages.getJsonObject(0);
    assertEquals("user", user.getString("role"));
    assertEquals("What is this?", user.getString("content"));
    // Raw base64, no data: URI prefix: what Ollama's wire protocol wants.
    assertEquals(new JsonArray().add(b64(PNG)), user.getJsonArray("images"));
  }

  @Test
  void severalImagesKeepTheirOrderAndASystemMessageGoesFirst() {
    CliHarness.Result r =
        h.run(
            "chat",
            "llava",
            "Compare them",
            "--image",
            png.toString(),
            "--image",
            jpeg.toString(),
            "--system",
            "Be brief");
    assertEquals(0, r.exit(), r.err());
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals("system", messages.getJsonObject(0).getString("role"), messages.encode());
    assertFalse(messages.getJsonObject(0).containsKey("images"), messages.encode());
    JsonObject user = messages.getJsonObject(1);
    assertEquals(new JsonArray().add(b64(PNG)).add(b64(JPEG)), user.getJsonArray("images"));
  }

  @Test
  void generateSendsTheImageToo() {
    CliHarness.Result r = h.run("generate", "llava", "Describe", "--image", png.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("A cat on a mat.\n", r.out());
    // against Ollama, generate is /api/generate: the images go with the prompt
    JsonObject body = h.server.lastRequest("/api/generate").json();
    assertEquals("Describe", body.getString("prompt"));
    assertEquals(new JsonArray().add(b64(PNG)), body.getJsonArray("images"));
  }

  @Test
  void theImageIsSentWithTheFirstMessageOfASessionOnly() {
    String input = "What is this?\nAnd now?\n/bye\n";
    CliHarness.Running run =
        h.start(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            true,
            "chat",
            "llava",
            "--image",
            png.toString());
    assertEquals(0, run.exit.join(), run.err());
    assertEquals(2, h.server.requests("/api/chat").size());
    JsonArray messages = h.server.lastRequest("/api/chat").json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encode());
    assertEquals(
        new JsonArray().add(b64(PNG)),
        messages.getJsonObject(0).getJsonArray("images"),
        messages.encode());
    JsonArray second = messages.getJsonObject(2).getJsonArray("images");
    assertTrue(second == null || second.isEmpty(), messages.encode());
  }

  @Test
  void aMissingImageFailsInOneLineBeforeAnyRequest() {
    Path missing = dir.resolve("nosuch.png");
    for (String command : new String[] {"chat", "generate"}) {
      CliHarness.Result r = h.run(command, "llava", "What is this?", "--image", missing.toString());
      assertEquals(ExitCodes.ERROR, r.exit(), command + ": " + r.err());
      assertEquals("error: no such file: " + missing + "\n", r.err(), command);
      assertEquals("", r.out(), command);
    }
    assertTrue(h.server.requests().isEmpty(), "no request at all: " + h.server.requests());
  }

  @Test
  void aServerRefusingTheImageIsACapabilityError() {
    // The provider's stream leaves the capability check to the server; the fake does not make it
    // for chat, so its answer is scripted (the text real servers send, reference §6.2).
    h.server.script(
        "/api/chat",
        Script.jsonError(
            400, "registry.ollama.ai/library/llama3.2:latest does not support vision"));
    CliHarness.Result r = h.run("chat", "llama3.2", "What is this?", "--image", png.toString());
    assertEquals(ExitCodes.CAPABILITY, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().startsWith("error: 'llama3.2' does not support vision; `llm show llama3.2`"),
        r.err());
    assertFalse(r.err().contains("OllamaClient"), "no library type names: " + r.err());
    assertEquals("", r.out());
  }
}
