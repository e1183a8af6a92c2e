package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.RecordedRequest;
import core.llm.providers.ollama.fake.Script;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading pauses the back end: the fake Ollama writes an endless stream as fast
 * as its reader takes it, so what it has written stops growing once the buffers between it and the
 * stalled client are full (sockets, one write queue in the gateway, the provider's buffer), instead
 * of the gateway holding everything in memory.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayFlowControlTest {
  @TempDir Path dir;

  @Test
  void aStalledClientStopsTheBackEndsWrites() throws Exception {
    try (GatewayFixture fx = GatewayFixture.oneOllama(dir)) {
      fx.ollama().addModel(FakeModel.named("llama3.2").reply("x"));
      fx.ollama()
          .scriptAlways(
              "/api/chat", Script.create().endless(() -> Chunks.chatChunk("llama3.2", "word ")));
      try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
        s.setReceiveBufferSize(64 * 1024);
        String body =
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] first = new byte[4096];
        int n = in.read(first); // the head and the first chunks: the stream is flowing
        assertTrue(new String(first, 0, n, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
        // now the client reads nothing more
        RecordedRequest upstream = fx.ollama().lastRequest("/api/chat");
        long settled = waitForPlateau(upstream);
        Thread.sleep(1000);
        long later = upstream.bytesWritten();
        assertTrue(
            later - settled < 1024 * 1024,
            "the back end kept writing while the client read nothing: "
                + settled
                + " then "
                + later
                + " bytes");
        assertTrue(later < 64L * 1024 * 1024, "bounded by buffers, not by memory: " + later);
        // reading again resumes the flow: the back end writes again
        byte[] more = new byte[1 << 16];
        long read = 0;
        while (upstream.bytesWritten() <= later + 1024 * 1024 && read < 256L * 1024 * 1024) {
          int r = in.read(more);
          assertTrue(r > 0, "the stream resumed");
          read += r;
        }
        assertTrue(
            upstream.bytesWritten() > later + 1024 * 1024,
            "the back end writes again once read (read " + read + ", written " + later + ")");
      }
      fx.ollama()
          .awaitClientClose()
          .toCompletionStage()
          .toCompletableFuture()
          .get(3, TimeUnit.SECONDS);
      assertEquals(0, ((GatewayImpl) fx.gateway).runningForTest() > 0 ? waitIdle(fx) : 0);
    }
  }

  /** Waits until the bytes written stop growing by more than a chunk per 200 ms. */
  private static long waitForPlateau(RecordedRequest upstream) throws InterruptedException {
    long previous = -1;
    for (int i = 0; i < 50; i++) {
      long now = upstream.bytesWritten();
      if (previous >= 0 && now - previous < 4096) {
        return now;
      }
      previous = now;
      Thread.sleep(200);
    }
    throw new AssertionError("the back end never stopped writing: " + previous + " bytes");
  }

  private static int waitIdle(GatewayFixture fx) throws InterruptedException {
    GatewayImpl g = (GatewayImpl) fx.gateway;
    for (int i = 0; i < 200 && g.runningForTest() > 0; i++) {
      Thread.sleep(10);
    }
    return g.runningForTest();
  }
}
