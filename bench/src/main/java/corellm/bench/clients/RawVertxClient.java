package corellm.bench.clients;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The floor: a Vert.x 5 HttpClient and Jackson, written the way a careful user would, with no SDK.
 * Requests start on a Vert.x context so the body handlers are set before the body can flow; lines
 * are framed with {@link RecordParser}; each line is bound to a small record from its bytes; a body
 * that ends without {@code done:true} fails.
 */
public final class RawVertxClient implements BenchClient {
  static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());
  static final ObjectReader CHUNK = MAPPER.readerFor(Chunk.class);
  static final ObjectReader EMBED = MAPPER.readerFor(Embed.class);
  static final ObjectWriter CHAT_REQ = MAPPER.writerFor(ChatReq.class);
  static final ObjectWriter EMBED_REQ = MAPPER.writerFor(EmbedReq.class);

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Msg(String role, String content) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Chunk(
      String model,
      @JsonProperty("created_at") String createdAt,
      Msg message,
      boolean done,
      @JsonProperty("done_reason") String doneReason,
      @JsonProperty("total_duration") Long totalDuration,
      @JsonProperty("load_duration") Long loadDuration,
      @JsonProperty("prompt_eval_count") Integer promptEvalCount,
      @JsonProperty("prompt_eval_duration") Long promptEvalDuration,
      @JsonProperty("eval_count") Integer evalCount,
      @JsonProperty("eval_duration") Long evalDuration,
      String error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Embed(String model, float[][] embeddings) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChatReq(
      String model, List<Msg> messages, boolean stream, Map<String, Object> options) {}

  public record EmbedReq(String model, List<String> input) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final int port;

  RawVertxClient(int port, int poolSize) {
    this.port = port;
    this.vertx = Vertx.vertx();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
  }

  @Override
  public boolean blocking() {
    return false;
  }

  private void onContext(Runnable action) {
    Context current = Vertx.currentContext();
    if (current != null) {
      action.run();
    } else {
      vertx.getOrCreateContext().runOnContext(v -> action.run());
    }
  }

  private void post(
      String path, byte[] body, CompletableFuture<?> f, Consumer<HttpClientResponse> onHead) {
    onContext(
        () ->
            client
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI(path)
                        .putHeader("content-type", "application/json"))
                .compose(req -> req.send(Buffer.buffer(body)))
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        f.completeExceptionally(ar.cause());
                        return;
                      }
                      HttpClientResponse resp = ar.result();
                      if (resp.statusCode() != 200) {
                        f.completeExceptionally(
                            new IllegalStateException("status " + resp.statusCode()));
                        resp.request().reset();
                        return;
                      }
                      // On the event loop: nothing of the body has been delivered yet.
                      onHead.accept(resp);
                    }));
  }

  static byte[] chatBody(int tokens, boolean stream) {
    try {
      return CHAT_REQ.writeValueAsBytes(
          new ChatReq(
              "llama3.2:1b",
              List.of(new Msg("user", "Why is the sky blue?")),
              stream,
              Map.of("num_predict", tokens)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletableFuture<Integer> streamAsync(int tokens) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    post(
        "/api/chat",
        chatBody(tokens, true),
        f,
        resp -> {
          int[] count = {0};
          boolean[] done = {false};
          RecordParser parser =
              RecordParser.newDelimited(
                  "\n",
                  line -> {
                    if (done[0] || line.length() == 0) {
                      return;
                    }
                    Chunk c;
                    try {
                      c = CHUNK.readValue(line.getBytes());
                    } catch (Exception e) {
                      f.completeExceptionally(e);
                      resp.request().reset();
                      return;
                    }
                    if (c.error() != null) {
                      f.completeExceptionally(new IllegalStateException(c.error()));
                      resp.request().reset();
                      return;
                    }
                    if (c.message() != null
                        && c.message().content() != null
                        && !c.message().content().isEmpty()) {
                      count[0]++;
                    }
                    if (c.done()) {
                      done[0] = true;
                    }
                  });
          parser.maxRecordSize(8 * 1024 * 1024);
          parser.exceptionHandler(f::completeExceptionally);
          resp.handler(parser);
          resp.exceptionHandler(f::completeExceptionally);
          resp.endHandler(
              v -> {
                if (done[0]) {
                  f.complete(count[0]);
                } else {
                  f.completeExceptionally(
                      new IllegalStateException("stream ended without done after " + count[0]));
                }
              });
        });
    return f;
  }

  @Override
  public CompletableFuture<Integer> chatAsync(int tokens) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    post(
        "/api/chat",
        chatBody(tokens, false),
        f,
        resp ->
            resp.body()
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        f.completeExceptionally(ar.cause());
                        return;
                      }
                      try {
                        Chunk c = CHUNK.readValue(ar.result().getBytes());
                        f.complete(c.message().content().length());
                      } catch (Exception e) {
                        f.completeExceptionally(e);
                      }
                    }));
    return f;
  }

  @Override
  public CompletableFuture<Integer> embedAsync(List<String> inputs) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    byte[] body;
    try {
      body = EMBED_REQ.writeValueAsBytes(new EmbedReq("nomic-embed-text", inputs));
    } catch (Exception e) {
      f.completeExceptionally(e);
      return f;
    }
    post(
        "/api/embed",
        body,
        f,
        resp ->
            resp.body()
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        f.completeExceptionally(ar.cause());
                        return;
                      }
                      try {
                        Embed e = EMBED.readValue(ar.result().getBytes());
                        int n = 0;
                        for (float[] v : e.embeddings()) {
                          n += v.length;
                        }
                        f.complete(n);
                      } catch (Exception e) {
                        f.completeExceptionally(e);
                      }
                    }));
    return f;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
