package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.RecordedRequest;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Uploads a blob larger than this JVM's heap: it only passes if the client hashes and sends the
 * file as a stream. Runs in its own surefire execution ({@code large-blob}, {@code -Xmx64m}).
 */
@Timeout(60)
class BlobUploadLargeFileTest {
  private static final long SIZE = 160L * 1024 * 1024;

  @Test
  void uploadsAFileLargerThanTheHeap() throws Exception {
    assertTrue(
        Runtime.getRuntime().maxMemory() < SIZE,
        "run with a heap smaller than the file (large-blob execution, -Xmx64m); max heap is "
            + Runtime.getRuntime().maxMemory());
    Path file = Files.createTempFile("core-llm-large-blob", ".bin");
    Vertx vertx = Vertx.vertx();
    try {
      String expected = write(file);
      FakeOllamaServer server = FakeOllamaServer.start(vertx).await();
      OllamaClient client =
          OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl(server.baseUrl()));
      try {
        String digest = client.createBlob(file).await();
        assertEquals(expected, digest);
        assertTrue(server.blobs().has(digest), "the server stored it (its streamed hash matched)");
        assertEquals(SIZE, server.blobs().size(digest));
        List<RecordedRequest> calls = server.requests("/api/blobs/" + digest);
        assertEquals(List.of("HEAD", "POST"), calls.stream().map(RecordedRequest::method).toList());
        assertEquals(201, calls.get(1).status());
        assertEquals("<" + SIZE + " bytes>", calls.get(1).bodyText());
        assertEquals(Long.toString(SIZE), calls.get(1).header("Content-Length"));
      } finally {
        client.close().await();
        server.close().await();
      }
    } finally {
      vertx.close().await();
      Files.deleteIfExists(file);
    }
  }

  /** Writes SIZE bytes that differ from slice to slice and returns their digest, computed here. */
  private static String write(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] slice = new byte[1024 * 1024];
    new Random(42).nextBytes(slice);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < SIZE; written += slice.length) {
        slice[(int) (written / slice.length) % slice.length]++;
        sha.update(slice);
        out.write(slice);
      }
    }
    assertEquals(SIZE, Files.size(file));
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
