package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request the fake server received, in arrival order ({@link FakeOllamaServer#requests()}). The
 * body is kept as text, except for blob uploads (only their size is kept).
 *
 * <p>{@link #closedByClient()} completes when the client closed the connection before the server
 * finished the response (cancellation, timeouts); {@link #finished()} completes when the server
 * ended the response normally or the exchange was otherwise over (closed or cut).
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final String query;
  private final MultiMap headers;
  volatile String body;
  volatile int status;
  volatile boolean waitedForLoad;
  final AtomicLong bytesWritten = new AtomicLong();
  final Promise<Void> closedByClient = Promise.promise();
  final Promise<Void> finished = Promise.promise();

  RecordedRequest(String method, String path, String query, MultiMap headers) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(headers);
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** The raw query string, or null. */
  public String query() {
    return query;
  }

  public MultiMap headers() {
    return headers;
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** The request body as text ("" when empty; for blob uploads "<N bytes>"). */
  public String bodyText() {
    return body == null ? "" : body;
  }

  /** The body parsed as a JSON object (throws if it is not one). */
  public JsonObject json() {
    return new JsonObject(bodyText());
  }

  /**
   * Whether this chat or generate found its model not loaded: it started the model's load or
   * arrived while that load was still running (Ollama queues such a request behind the load, so the
   * server counts every one of them: see {@link ModelStore#loadCount} for the loads themselves).
   * False for a request that found the model loaded, and for every other path.
   */
  public boolean waitedForLoad() {
    return waitedForLoad;
  }

  /** Status the server chose for the response (0 before the response started). */
  public int status() {
    return status;
  }

  /** Response bytes handed to the connection so far (with back-pressure, a bounded number). */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Completes when the client closed the connection before the response ended. */
  public Future<Void> closedByClient() {
    return closedByClient.future();
  }

  public boolean wasClosedByClient() {
    return closedByClient.future().isComplete();
  }

  /** Completes when the exchange is over (ended, cut by a script, or closed by the client). */
  public Future<Void> finished() {
    return finished.future();
  }

  @Override
  public String toString() {
    return method + " " + path + (body == null || body.isEmpty() ? "" : " " + body);
  }
}
