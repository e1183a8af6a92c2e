package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** One request/response pair while it is being served: writing helpers and close tracking. */
final class Exchange {
  static final String JSON = "application/json; charset=utf-8";
  static final String NDJSON = "application/x-ndjson";

  final Vertx vertx;
  final HttpServerRequest req;
  final HttpServerResponse resp;
  final RecordedRequest record;
  final FakeOllamaServer server;
  private boolean cut;

  Exchange(FakeOllamaServer server, Vertx vertx, HttpServerRequest req, RecordedRequest record) {
    this.server = server;
    this.vertx = vertx;
    this.req = req;
    this.resp = req.response();
    this.record = record;
    resp.closeHandler(
        v -> {
          if (!cut && !resp.ended()) {
            record.closedByClient.tryComplete();
            server.clientClosed(record);
          }
          record.finished.tryComplete();
        });
    resp.endHandler(v -> record.finished.tryComplete());
  }

  /** The client has gone (or the script cut the connection): stop producing. */
  boolean gone() {
    return resp.closed() || cut;
  }

  boolean ended() {
    return resp.ended();
  }

  Exchange status(int code) {
    if (!resp.headWritten()) {
      resp.setStatusCode(code);
      record.status = code;
    }
    return this;
  }

  /** Writes a chunk (switching to chunked mode); a no-op once the client is gone. */
  Future<Void> write(Buffer b) {
    if (gone() || resp.ended()) {
      return Future.succeededFuture();
    }
    if (!resp.headWritten()) {
      if (record.status == 0) {
        record.status = resp.getStatusCode();
      }
      if (!resp.isChunked() && resp.headers().get("content-length") == null) {
        resp.setChunked(true);
      }
    }
    record.bytesWritten.addAndGet(b.length());
    return resp.write(b).recover(t -> Future.succeededFuture());
  }

  /** Writes the response head (chunked) without any body byte. */
  Future<Void> writeHead() {
    if (gone() || resp.ended() || resp.headWritten()) {
      return Future.succeededFuture();
    }
    if (record.status == 0) {
      record.status = resp.getStatusCode();
    }
    resp.setChunked(true);
    return resp.writeHead().recover(t -> Future.succeededFuture());
  }

  Future<Void> line(String json) {
    return write(Buffer.buffer(json + "\n"));
  }

  Future<Void> line(JsonObject json) {
    return line(json.encode());
  }

  /** Starts an NDJSON stream (status 200, chunked). */
  void startNdjson() {
    status(200);
    resp.putHeader("Content-Type", NDJSON);
  }

  Future<Void> end() {
    if (gone() || resp.ended()) {
      return Future.succeededFuture();
    }
    if (record.status == 0) {
      record.status = resp.getStatusCode();
    }
    return resp.end().recover(t -> Future.succeededFuture());
  }

  /** A single JSON object with no trailing newline. */
  Future<Void> json(int status, JsonObject body) {
    return body(status, JSON, body.encode());
  }

  Future<Void> error(int status, String message) {
    return json(status, new JsonObject().put("error", message));
  }

  Future<Void> body(int status, String contentType, String text) {
    if (gone() || resp.ended()) {
      return Future.succeededFuture();
    }
    status(status);
    if (contentType != null) {
      resp.putHeader("Content-Type", contentType);
    }
    Buffer b = Buffer.buffer(text);
    record.bytesWritten.addAndGet(b.length());
    return resp.end(b).recover(t -> Future.succeededFuture());
  }

  /** Closes the TCP connection abruptly, leaving any chunked body unfinished. */
  void cut() {
    if (gone()) {
      return;
    }
    cut = true;
    record.finished.tryComplete();
    req.connection().close();
  }

  /** Completes after {@code ms} (real time), immediately for ms <= 0. */
  Future<Void> delay(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.tryComplete());
    return p.future();
  }
}
