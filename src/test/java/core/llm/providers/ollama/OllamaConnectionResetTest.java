package core.llm.providers.ollama;

import static core.llm.providers.ollama.OllamaStreamingTest.assertFails;
import static core.llm.providers.ollama.OllamaStreamingTest.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import core.llm.common.IncompleteStreamException;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A TCP reset from the server gives the caller one typed error and Vert.x logs nothing. */
@Timeout(30)
class OllamaConnectionResetTest {
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            logged.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Vertx vertx;
  private NetServer server;
  private OllamaClientImpl client;

  @BeforeEach
  void start() {
    Logger.getLogger("").addHandler(capture);
    vertx = Vertx.vertx();
    // SO_LINGER 0: close() sends a RST instead of a FIN, as a crashed or killed server does.
    server =
        vertx
            .createNetServer(new NetServerOptions().setSoLinger(0))
            .connectHandler(
                socket ->
                    socket.handler(
                        request -> {
                          String line = Chunks.chatChunk("Hel") + "\n";
                          socket.write(
                              Buffer.buffer(
                                  "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                                      + "Transfer-Encoding: chunked\r\n\r\n"
                                      + Integer.toHexString(line.length())
                                      + "\r\n"
                                      + line
                                      + "\r\n"));
                          vertx.setTimer(50, id -> socket.close());
                        }))
            .listen(0, "127.0.0.1")
            .await();
    client =
        (OllamaClientImpl)
            OllamaClient.create(
                vertx,
                new OllamaClientOptions().setBaseUrl("http://127.0.0.1:" + server.actualPort()));
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  @Test
  void resetMidStreamIsOneTypedErrorAndNoLogLine() {
    for (int i = 0; i < 5; i++) {
      var stream = client.chatStream(ChatRequest.builder("m").message(Message.user("hi")).build());
      assertInstanceOf(IncompleteStreamException.class, assertFails(collect(stream)));
    }
    // Netty reports the reset (where Vert.x would log it) before the close that fails the stream,
    // so by now any log line has been written.
    assertEquals(
        List.of(), logged.stream().map(r -> r.getLevel() + ": " + r.getMessage()).toList());
  }
}
