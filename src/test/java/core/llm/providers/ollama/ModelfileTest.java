package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.models.CreateRequest;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ModelfileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void everyInstructionIsRead() throws Exception {
    Modelfile mf =
        Modelfile.parse(
            """
            # a comment
            from llama3.2
            PARAMETER temperature 0.2
            PARAMETER num_ctx 8192
            PARAMETER stop "<|end|>"
            PARAMETER stop User:
            TEMPLATE \"\"\"{{ if .System }}<|system|>
            {{ .System }}{{ end }}\"\"\"
            SYSTEM "You are terse."
            MESSAGE user Is Paris in France?
            MESSAGE assistant \"\"\"Yes.\"\"\"
            LICENSE MIT
            REQUIRES 0.14.0
            """);
    assertEquals("llama3.2", mf.from());
    assertEquals("You are terse.", mf.system());
    assertEquals("{{ if .System }}<|system|>\n{{ .System }}{{ end }}", mf.template());
    assertEquals("0.14.0", mf.requires());
    JsonNode options = JSON.valueToTree(mf.options());
    assertEquals(
        JSON.readTree("{\"temperature\":0.2,\"num_ctx\":8192,\"stop\":[\"<|end|>\",\"User:\"]}"),
        options);
    assertEquals(2, mf.messages().size());
    assertEquals("Is Paris in France?", mf.messages().get(0).content());
    assertEquals("assistant", mf.messages().get(1).role());
    assertEquals("Yes.", mf.messages().get(1).content());
  }

  @Test
  void problemsNameTheLine() {
    assertEquals(
        "Modelfile line 2: unknown instruction 'FORM' (FROM, PARAMETER, TEMPLATE, SYSTEM,"
            + " ADAPTER, LICENSE, MESSAGE, REQUIRES)",
        assertThrows(Modelfile.SyntaxException.class, () -> Modelfile.parse("FROM a\nFORM b"))
            .getMessage());
    assertEquals(
        2,
        assertThrows(
                Modelfile.SyntaxException.class,
                () -> Modelfile.parse("FROM a\nSYSTEM \"\"\"never closed\n"))
            .line());
    assertTrue(
        assertThrows(Modelfile.SyntaxException.class, () -> Modelfile.parse("SYSTEM hi"))
            .getMessage()
            .contains("no FROM line"));
    assertTrue(
        assertThrows(
                Modelfile.SyntaxException.class, () -> Modelfile.parse("FROM a\nMESSAGE bot hi"))
            .getMessage()
            .contains("MESSAGE role must be"));
  }

  @Test
  void aLocalGgufIsUploadedAsABlobAndNamedInFiles() throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeOllamaServer server = FakeOllamaServer.start(vertx).await();
    OllamaClient client =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
    try {
      byte[] gguf = "GGUF fake weights".getBytes();
      Files.write(dir.resolve("weights.gguf"), gguf);
      String digest =
          "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gguf));
      Modelfile mf = Modelfile.parse("FROM ./weights.gguf\nSYSTEM hi\n");
      CreateRequest request = mf.toCreateRequest(client, "mine", dir).await();
      assertNull(request.from());
      assertEquals(java.util.Map.of("weights.gguf", digest), request.files());
      assertTrue(server.blobs().has(digest), "the blob reached the server");

      server.addModel(FakeModel.named("llama3.2").capabilities("completion"));
      CreateRequest byName =
          Modelfile.parse("FROM llama3.2").toCreateRequest(client, "mine2", dir).await();
      assertEquals("llama3.2", byName.from());
      assertNull(byName.files());
    } finally {
      client.close().await();
      server.close().await();
      vertx.close().await();
    }
  }
}
