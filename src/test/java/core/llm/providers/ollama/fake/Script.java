package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A scripted response: steps run in order on the response of one request. Register with {@link
 * FakeOllamaServer#script(String, Script)} (one-shot, queued per path) or {@link
 * FakeOllamaServer#scriptAlways(String, Script)} (persistent).
 *
 * <p>Defaults: status 200 and {@code Content-Type: application/x-ndjson} unless the script sets
 * them; the body is chunked; when the steps run out without {@link #end()} or {@link #cut()}, the
 * response is ended normally. Steps stop as soon as the client goes away.
 *
 * <pre>{@code
 * Script.create().delayHeaders(300).line(Chunks.chatChunk("Hi")).delay(50).cut();
 * Script.create().raw("{\"model\":\"m\",").delay(20).raw("\"done\":false}\n").end();
 * Script.jsonError(503, "server busy, please try again.  maximum pending requests exceeded");
 * Script.create().endless(() -> Chunks.chatChunk("x"));
 * }</pre>
 */
public final class Script {
  private final List<Step> steps = new ArrayList<>();

  /** One step of a script. */
  sealed interface Step {}

  record Status(int code) implements Step {}

  record Header(String name, String value) implements Step {}

  record Delay(long ms) implements Step {}

  record Raw(Buffer bytes) implements Step {}

  record Cut() implements Step {}

  record Head() implements Step {}

  record End() implements Step {}

  record Endless(Supplier<String> lines) implements Step {}

  public static Script create() {
    return new Script();
  }

  /** An NDJSON stream of the given lines, then end. */
  public static Script lines(String... jsonLines) {
    Script s = new Script();
    for (String l : jsonLines) {
      s.line(l);
    }
    return s.end();
  }

  /** A single JSON object (no trailing newline) with {@code application/json; charset=utf-8}. */
  public static Script json(int status, String body) {
    return new Script().status(status).header("Content-Type", Exchange.JSON).raw(body).end();
  }

  /**
   * {@code {"error": message}} with the given status, as the server sends errors before a stream.
   */
  public static Script jsonError(int status, String message) {
    return json(status, new JsonObject().put("error", message).encode());
  }

  public Script status(int code) {
    steps.add(new Status(code));
    return this;
  }

  public Script header(String name, String value) {
    steps.add(new Header(name, value));
    return this;
  }

  /** Holds the response head for ms (use before the first write: a cold model load). */
  public Script delayHeaders(long ms) {
    steps.add(new Delay(ms));
    return this;
  }

  /** Pauses ms between writes (idle gap in a stream). */
  public Script delay(long ms) {
    steps.add(new Delay(ms));
    return this;
  }

  /** Writes json followed by "\n" (one NDJSON line). */
  public Script line(String json) {
    return raw(json + "\n");
  }

  public Script line(JsonObject json) {
    return line(json.encode());
  }

  /** Writes text as is (UTF-8, no newline): split lines or characters across writes. */
  public Script raw(String text) {
    return raw(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes bytes as is (e.g. half of a multi-byte UTF-8 character). */
  public Script raw(Buffer bytes) {
    steps.add(new Raw(bytes));
    return this;
  }

  /**
   * Sends the status line and headers now, before any body byte (then a cut is "after the head").
   */
  public Script head() {
    steps.add(new Head());
    return this;
  }

  /** Closes the connection abruptly (the chunked body is never terminated). */
  public Script cut() {
    steps.add(new Cut());
    return this;
  }

  /** Ends the response normally. */
  public Script end() {
    steps.add(new End());
    return this;
  }

  /**
   * Writes lines from the supplier for as long as the client reads them, honouring back-pressure
   * (writeQueueFull / drainHandler); stops when the client closes. See {@link
   * RecordedRequest#bytesWritten()}.
   */
  public Script endless(Supplier<String> lineSupplier) {
    steps.add(new Endless(lineSupplier));
    return this;
  }

  List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Runs the script on an exchange; completes when it is over. */
  Future<Void> run(Exchange ex) {
    boolean hasStatus = steps.stream().anyMatch(s -> s instanceof Status);
    boolean hasType =
        steps.stream()
            .anyMatch(s -> s instanceof Header h && h.name().equalsIgnoreCase("content-type"));
    if (!hasStatus) {
      ex.status(200);
    }
    if (!hasType) {
      ex.resp.putHeader("Content-Type", Exchange.NDJSON);
    }
    return next(ex, 0);
  }

  private Future<Void> next(Exchange ex, int i) {
    if (ex.gone() || ex.ended()) {
      return Future.succeededFuture();
    }
    if (i >= steps.size()) {
      return ex.end();
    }
    Step s = steps.get(i);
    if (s instanceof Status st) {
      ex.status(st.code());
      return next(ex, i + 1);
    } else if (s instanceof Header h) {
      ex.resp.putHeader(h.name(), h.value());
      return next(ex, i + 1);
    } else if (s instanceof Delay d) {
      return ex.delay(d.ms()).compose(v -> next(ex, i + 1));
    } else if (s instanceof Raw r) {
      return ex.write(r.bytes().copy()).compose(v -> next(ex, i + 1));
    } else if (s instanceof Head) {
      return ex.writeHead().compose(v -> next(ex, i + 1));
    } else if (s instanceof Cut) {
      ex.cut();
      return Future.succeededFuture();
    } else if (s instanceof End) {
      return ex.end();
    } else {
      Promise<Void> done = Promise.promise();
      pump(ex, ((Endless) s).lines(), done);
      return done.future();
    }
  }

  private static void pump(Exchange ex, Supplier<String> lines, Promise<Void> done) {
    int batch = 0;
    while (!ex.gone() && !ex.resp.writeQueueFull() && batch++ < 64) {
      ex.line(lines.get());
    }
    if (ex.gone()) {
      done.tryComplete();
    } else if (ex.resp.writeQueueFull()) {
      ex.resp.drainHandler(v -> pump(ex, lines, done));
      // the client may close while we wait for drain
      ex.record.finished().onComplete(v -> done.tryComplete());
    } else {
      // yield to the event loop between batches so other I/O (and a closing client) is served
      ex.vertx.setTimer(1, id -> pump(ex, lines, done));
    }
  }
}
