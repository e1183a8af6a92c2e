package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.FinishReason;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.StreamErrorException;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.Message;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider's non-streamed chat is folded at the wire level (plain token lines are never turned
 * into records) and embeddings are read straight into float arrays: both must give exactly what the
 * record-by-record paths give, keep the stream's timeouts and fail with the typed errors.
 *
 * <p>A tiny server of this test's own writes the bodies byte for byte, in the write pattern asked
 * for, so lines reach the client whole, all at once, or cut anywhere.
 */
@Timeout(20)
class OllamaNeutralPathTest {
  /** How the server writes a body. */
  enum Writes {
    /** One write per line, as Ollama (Go's net/http) does. */
    PER_LINE,
    /** The whole body in one write. */
    ONE,
    /** 7-byte slices: lines (and UTF-8 characters) cut anywhere. */
    SLICED
  }

  private static final String MODEL = "llama3.2";

  /**
   * Every shape a chat stream's lines can take: plain tokens (escapes, non-ASCII, null content),
   * thinking, a tool call and logprobs in the middle, unknown and cloud keys, content on the final
   * line, and the final metrics.
   */
  private static final List<String> RICH_STREAM =
      List.of(
          line("\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Let me\"}"),
          line("\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\" think.\"}"),
          line("\"message\":{\"role\":\"assistant\",\"content\":\"Caf\\u00e9 \\\"q\\\"\\n\"}"),
          line("\"message\":{\"role\":\"assistant\",\"content\":\"naïve → ok \"}"),
          line("\"message\":{\"role\":\"assistant\",\"content\":null}"),
          line(
              "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
                  + "{\"index\":0,\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]}"),
          line(
              "\"message\":{\"role\":\"assistant\",\"content\":\" with\"},\"logprobs\":[{\"token\":"
                  + "\" with\",\"logprob\":-0.25,\"bytes\":[32,119,105,116,104]}]"),
          line(
              "\"message\":{\"role\":\"assistant\",\"content\":\" extra\"},\"novel_key\":{\"a\":1}"),
          line(
              "\"remote_model\":\"big\",\"remote_host\":\"https://ollama.com\","
                  + "\"message\":{\"role\":\"assistant\",\"content\":\" cloud\"}"),
          "{\"model\":\"llama3.2\",\"created_at\":\"2025-06-01T12:00:09Z\",\"message\":{\"role\":"
              + "\"assistant\",\"content\":\" end.\"},\"done\":true,\"done_reason\":\"length\","
              + "\"total_duration\":5000,\"load_duration\":100,\"prompt_eval_count\":7,"
              + "\"prompt_eval_duration\":200,\"eval_count\":9,\"eval_duration\":3000}");

  private Vertx vertx;
  private HttpServer server;
  private volatile Consumer<HttpServerResponse> chat;
  private volatile String embedBody;
  private OllamaClient client;
  private OllamaProvider provider;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              HttpServerResponse resp = req.response();
                              if (req.path().equals("/api/embed")) {
                                resp.putHeader("content-type", "application/json").end(embedBody);
                              } else {
                                resp.putHeader("content-type", "application/x-ndjson");
                                chat.accept(resp);
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await();
    client = clientWith(Duration.ofSeconds(10), 32 * 1024 * 1024);
    provider = new OllamaProvider("ollama", client);
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
    vertx.close().await();
  }

  private OllamaClient clientWith(Duration idle, int maxResultSize) {
    return OllamaClient.create(
        vertx,
        new OllamaClientOptions()
            .setBaseUrl("http://127.0.0.1:" + server.actualPort())
            .setIdleTimeout(idle)
            .setMaxResultSize(maxResultSize));
  }

  private static String line(String fields) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2025-06-01T12:00:00Z\","
        + fields
        + ",\"done\":false}";
  }

  /** Serves the lines, newline-terminated, in the given write pattern, then ends (or not). */
  private void serve(List<String> lines, Writes writes, boolean end) {
    chat =
        resp -> {
          resp.setChunked(true);
          byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
          switch (writes) {
            case PER_LINE -> lines.forEach(l -> resp.write(l + "\n"));
            case ONE -> resp.write(Buffer.buffer(body));
            case SLICED -> {
              for (int i = 0; i < body.length; i += 7) {
                resp.write(Buffer.buffer().appendBytes(body, i, Math.min(7, body.length - i)));
              }
            }
          }
          if (end) {
            resp.end();
          }
        };
  }

  private static ChatRequest wire() {
    return ChatRequest.builder(MODEL)
        .message(Message.builder("user").content("hi").build())
        .build();
  }

  private static CompletionRequest neutral() {
    return CompletionRequest.builder(MODEL).user("hi").build();
  }

  private OllamaClientImpl impl() {
    return (OllamaClientImpl) client;
  }

  private static Throwable failure(io.vertx.core.Future<?> future) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> future.toCompletionStage().toCompletableFuture().get());
    return e.getCause();
  }

  // ---- chat: the fold ----

  @ParameterizedTest
  @EnumSource(Writes.class)
  void theFoldedReplyIsTheStreamedFold(Writes writes) {
    serve(RICH_STREAM, writes, true);
    ChatResponse streamed = client.chatStream(wire()).result().await();
    ChatResponse folded = impl().chatFolded(wire()).await();

    assertEquals(streamed, folded); // every field: text, thinking, tool calls, logprobs, metrics
    Message m = folded.message();
    assertEquals("Café \"q\"\nnaïve → ok  with extra cloud end.", m.content());
    assertEquals("Let me think.", m.thinking());
    assertEquals("get_weather", m.toolCalls().get(0).function().name());
    assertEquals(Map.of("city", "Paris"), m.toolCalls().get(0).function().arguments());
    assertEquals(-0.25, folded.logprobs().get(0).logprob());
    assertEquals("length", folded.doneReason());
    assertEquals(9, folded.evalCount());
    assertEquals("2025-06-01T12:00:09Z", folded.createdAt());

    CompletionResult viaStream = provider.chatStream(neutral()).result().await();
    CompletionResult viaChat = provider.chat(neutral()).await();
    assertEquals(viaStream, viaChat);
    assertEquals(FinishReason.LENGTH, viaChat.finishReason());
    assertEquals(7, viaChat.usage().promptTokens());
    assertEquals(9, viaChat.usage().completionTokens());
    assertEquals(Duration.ofNanos(3000), viaChat.usage().evalDuration());
    assertEquals(1, viaChat.message().toolCalls().size());
  }

  @ParameterizedTest
  @EnumSource(Writes.class)
  void streamedChunksAreTheRecordsDataBindingGives(Writes writes) throws Exception {
    List<String> lines = new ArrayList<>(RICH_STREAM);
    // a model change mid-stream must not reuse the previous line's name
    lines.add(
        lines.size() - 1,
        "{\"model\":\"other\",\"created_at\":\"x\",\"message\":{\"role\":\"tool\","
            + "\"content\":\"y\"},\"done\":false}");
    lines.add(lines.size() - 1, "{\"model\":\"other\",\"done\":false}"); // no message at all
    serve(lines, writes, true);
    List<ChatResponse> expected = new ArrayList<>();
    for (String l : lines) {
      expected.add(OllamaJson.MAPPER.readValue(l, ChatResponse.class));
    }
    List<ChatResponse> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
    client.chatStream(wire()).handler(chunks::add).result().await();
    assertEquals(expected, chunks);
  }

  @Test
  void aReplyOfOneLineAndOneWithoutThinkingFoldToo() {
    serve(List.of(RICH_STREAM.get(RICH_STREAM.size() - 1)), Writes.ONE, true);
    assertEquals(client.chatStream(wire()).result().await(), impl().chatFolded(wire()).await());

    List<String> plain = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      plain.add(line("\"message\":{\"role\":\"assistant\",\"content\":\" t" + i + "\"}"));
    }
    plain.add(RICH_STREAM.get(RICH_STREAM.size() - 1));
    serve(plain, Writes.PER_LINE, true);
    ChatResponse folded = impl().chatFolded(wire()).await();
    assertEquals(client.chatStream(wire()).result().await(), folded);
    assertTrue(folded.message().content().startsWith(" t0 t1 t2"));
    assertNull(folded.message().thinking());
  }

  @Test
  void theIdleTimeoutStillWatchesANonStreamedChat() {
    OllamaClient impatient = clientWith(Duration.ofMillis(300), 32 * 1024 * 1024);
    try {
      serve(RICH_STREAM.subList(0, 4), Writes.PER_LINE, false); // then silence, never the end
      long start = System.nanoTime();
      Throwable error = failure(new OllamaProvider("ollama", impatient).chat(neutral()));
      LlmTimeoutException timeout = assertInstanceOf(LlmTimeoutException.class, error);
      assertEquals(LlmTimeoutException.Phase.IDLE, timeout.phase());
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "fired within its bound");
    } finally {
      impatient.close().await();
    }
  }

  @Test
  void aStreamCutBeforeTheEndKeepsWhatWasFoldedAndCountsEveryLine() {
    serve(RICH_STREAM.subList(0, 5), Writes.PER_LINE, true); // ends without done:true
    Throwable error = failure(provider.chat(neutral()));
    IncompleteStreamException cut = assertInstanceOf(IncompleteStreamException.class, error);
    assertTrue(cut.getMessage().contains("after 5 chunk(s)"), cut.getMessage());
    ChatResponse partial = (ChatResponse) cut.partialResult().orElseThrow();
    assertEquals("Café \"q\"\nnaïve → ok ", partial.message().content());
    assertEquals("Let me think.", partial.message().thinking());
  }

  @Test
  void anErrorLineAfterFoldedLinesFailsTheChatCountingThem() {
    List<String> lines = new ArrayList<>(RICH_STREAM.subList(0, 3));
    lines.add("{\"error\":\"model runner crashed\"}");
    serve(lines, Writes.ONE, false);
    Throwable error = failure(provider.chat(neutral()));
    assertInstanceOf(StreamErrorException.class, error);
    assertTrue(error.getMessage().contains("after 3 chunk(s)"), error.getMessage());
    assertTrue(error.getMessage().contains("model runner crashed"), error.getMessage());
  }

  @Test
  void aLineThatIsNotJsonFailsTheChat() {
    List<String> lines = new ArrayList<>(RICH_STREAM.subList(0, 3));
    lines.add("{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"cut");
    lines.add(RICH_STREAM.get(RICH_STREAM.size() - 1));
    serve(lines, Writes.SLICED, true);
    Throwable error = failure(provider.chat(neutral()));
    assertInstanceOf(InvalidResponseException.class, error);
    assertTrue(error.getMessage().contains("not a JSON object"), error.getMessage());
  }

  @Test
  void theResultCapCountsFoldedLines() {
    OllamaClient capped = clientWith(Duration.ofSeconds(10), 2_000);
    try {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        lines.add(line("\"message\":{\"role\":\"assistant\",\"content\":\" token\"}"));
      }
      lines.add(RICH_STREAM.get(RICH_STREAM.size() - 1));
      serve(lines, Writes.ONE, true);
      Throwable error = failure(new OllamaProvider("ollama", capped).chat(neutral()));
      assertInstanceOf(InvalidResponseException.class, error);
      assertTrue(error.getMessage().contains("larger than 2000 bytes"), error.getMessage());
    } finally {
      capped.close().await();
    }
  }

  // ---- embeddings ----

  @Test
  void embeddingsRoundTripExactly() {
    Random random = new Random(42);
    int rows = 16;
    int dims = 768;
    float[][] expected = new float[rows][dims];
    StringBuilder body = new StringBuilder("{\"model\":\"nomic\",\"embeddings\":[");
    for (int r = 0; r < rows; r++) {
      body.append(r == 0 ? "[" : ",[");
      for (int d = 0; d < dims; d++) {
        float f = (float) random.nextGaussian() / 30;
        if (d == 0) {
          f = 0; // Go writes integral values without ".0"
        } else if (d == 1) {
          f = 1e-7f;
        } else if (d == 2) {
          f = -3;
        }
        expected[r][d] = f;
        body.append(d == 0 ? "" : ",");
        body.append(f == Math.rint(f) ? Long.toString((long) f) : Float.toString(f));
      }
      body.append(']');
    }
    body.append(
        "],\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":8,"
            + "\"future_field\":{\"x\":true}}");
    embedBody = body.toString();

    EmbedResponse reply =
        client.embed(EmbedRequest.builder("nomic").input(List.of("a", "b")).build()).await();
    assertEquals(rows, reply.embeddings().length);
    for (int r = 0; r < rows; r++) {
      assertArrayEquals(expected[r], reply.embeddings()[r], "row " + r);
    }
    assertEquals("nomic", reply.model());
    assertEquals(14143917L, reply.totalDuration());
    assertEquals(1019500L, reply.loadDuration());
    assertEquals(8, reply.promptEvalCount());
    assertEquals(Map.of("x", true), reply.extra().get("future_field"));

    EmbeddingResult result =
        provider.embed(new EmbeddingRequest("nomic", List.of("a", "b"), null)).await();
    assertEquals(rows, result.vectors().size());
    assertArrayEquals(expected[rows - 1], result.vectors().get(rows - 1));
    assertEquals(8, result.usage().promptTokens());
  }

  @Test
  void rowsOfOtherLengthsAndEmptyBatchesKeepTheirShape() {
    embedBody = "{\"model\":\"e\",\"embeddings\":[[],[0.5,-0.25,2],[1],null]}";
    EmbedResponse reply = client.embed(EmbedRequest.builder("e").input("x").build()).await();
    assertEquals(4, reply.embeddings().length);
    assertArrayEquals(new float[0], reply.embeddings()[0]);
    assertArrayEquals(new float[] {0.5f, -0.25f, 2f}, reply.embeddings()[1]);
    assertArrayEquals(new float[] {1f}, reply.embeddings()[2]);
    assertNull(reply.embeddings()[3]);

    embedBody = "{\"model\":\"e\",\"embeddings\":[]}";
    assertEquals(
        0, client.embed(EmbedRequest.builder("e").input("x").build()).await().embeddings().length);
  }

  @Test
  void aGarbageOrTruncatedEmbedBodyIsATypedError() {
    for (String body :
        List.of(
            "{\"model\":\"e\",\"embeddings\":[[0.1,0.2],[0.3,",
            "{\"model\":\"e\",\"embeddings\":[[\"a\",\"b\"]]}",
            "{\"model\":\"e\",\"embeddings\":[0.1,0.2]}",
            "{\"model\":\"e\",\"embeddings\":7}",
            "<html>bad gateway</html>")) {
      embedBody = body;
      Throwable error = failure(client.embed(EmbedRequest.builder("e").input("x").build()));
      InvalidResponseException invalid = assertInstanceOf(InvalidResponseException.class, error);
      assertTrue(invalid.getMessage().contains("POST /api/embed"), invalid.getMessage());
      assertTrue(invalid.getMessage().contains(body.substring(0, 10)), invalid.getMessage());
    }
  }
}
