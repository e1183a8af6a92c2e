package core.llm.providers.ollama.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** /api/pull, /api/push and /api/create progress streams (reference §7). */
final class Progress {
  static final String PULL_UNKNOWN = "pull model manifest: file does not exist";

  private final ModelStore store;
  private final BlobStore blobs;
  volatile long stepDelayMs;
  volatile int stepsPerLayer = 3;

  Progress(ModelStore store, BlobStore blobs) {
    this.store = store;
    this.blobs = blobs;
  }

  void pull(Exchange ex, JsonObject body) {
    String name = Checks.model(body);
    if (name.isEmpty()) {
      ex.error(400, "model is required");
      return;
    }
    Optional<FakeModel> remote = store.inRegistry(name);
    List<String> lines = new ArrayList<>();
    lines.add(Chunks.progress("pulling manifest"));
    if (remote.isEmpty()) {
      emit(ex, body, lines, PULL_UNKNOWN, 500, null);
      return;
    }
    FakeModel m = remote.get();
    for (FakeModel.Layer l : m.layers()) {
      String status = "pulling " + l.digest().substring(7, 19);
      if (blobs.has(l.digest())) {
        lines.add(Chunks.progress(status, l.digest(), l.size(), l.size()));
        continue;
      }
      for (int i = 0; i <= stepsPerLayer; i++) {
        lines.add(Chunks.progress(status, l.digest(), l.size(), l.size() * i / stepsPerLayer));
      }
    }
    lines.add(Chunks.progress("verifying sha256 digest"));
    lines.add(Chunks.progress("writing manifest"));
    lines.add(Chunks.progress("success"));
    emit(
        ex,
        body,
        lines,
        null,
        0,
        () -> {
          FakeModel installed = m.copyAs(m.name);
          store.install(installed);
          m.layers().forEach(l -> blobs.put(l.digest(), l.size()));
        });
  }

  void push(Exchange ex, JsonObject body) {
    String name = Checks.model(body);
    if (name.isEmpty()) {
      ex.error(400, "model is required");
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(Chunks.progress("retrieving manifest"));
    Optional<FakeModel> local = store.find(name);
    if (local.isEmpty()) {
      lines.add(Chunks.progress("couldn't retrieve manifest"));
      emit(
          ex,
          body,
          lines,
          "open manifest for " + ModelNames.full(name) + ": file does not exist",
          500,
          null);
      return;
    }
    FakeModel m = local.get();
    for (FakeModel.Layer l : m.layers()) {
      String status = "pushing " + l.digest().substring(7, 19);
      for (int i = 0; i <= stepsPerLayer; i++) {
        lines.add(Chunks.progress(status, l.digest(), l.size(), l.size() * i / stepsPerLayer));
      }
    }
    lines.add(Chunks.progress("pushing manifest"));
    lines.add(Chunks.progress("success"));
    emit(ex, body, lines, null, 0, () -> store.publish(m.copyAs(m.name)));
  }

  void create(Exchange ex, JsonObject body) {
    String name = Checks.model(body);
    if (name.isEmpty()) {
      ex.error(400, "model is required");
      return;
    }
    String from = body.getValue("from") instanceof String s && !s.isEmpty() ? s : null;
    JsonObject files = body.getValue("files") instanceof JsonObject f && !f.isEmpty() ? f : null;
    if (from == null && files == null) {
      ex.error(400, "neither 'from' or 'files' was specified");
      return;
    }
    List<String> lines = new ArrayList<>();
    FakeModel base;
    if (from != null) {
      Optional<FakeModel> src = store.find(from);
      if (src.isEmpty()) {
        ex.error(404, "model '" + from + "' not found");
        return;
      }
      base = src.get();
      for (FakeModel.Layer l : base.layers()) {
        lines.add(Chunks.progress("using existing layer " + l.digest()));
      }
    } else {
      for (Map.Entry<String, Object> e : files) {
        String digest = String.valueOf(e.getValue());
        if (!BlobStore.valid(digest)) {
          ex.error(400, "invalid digest format");
          return;
        }
        if (!blobs.has(digest)) {
          ex.error(400, "blob " + digest + " not found");
          return;
        }
      }
      lines.add(Chunks.progress("parsing GGUF"));
      base = FakeModel.named(name);
    }
    lines.add(Chunks.progress("using autodetected template llama3-instruct"));
    if (body.getValue("system") instanceof String sys) {
      lines.add(Chunks.progress("creating new layer sha256:" + FakeModel.hex("system:" + sys)));
    }
    lines.add(Chunks.progress("writing manifest"));
    lines.add(Chunks.progress("success"));
    emit(
        ex,
        body,
        lines,
        null,
        0,
        () -> {
          FakeModel created = base.copyAs(name);
          if (body.getValue("system") instanceof String sys) {
            created.system(sys);
          }
          created.modifiedAt = null;
          store.install(created);
        });
  }

  /**
   * Streams the lines (stream default true) or returns only the last one (stream:false). An error
   * becomes a trailing {"error"} line when streaming, or the HTTP status when not.
   */
  private void emit(
      Exchange ex,
      JsonObject body,
      List<String> lines,
      String error,
      int errorStatus,
      Runnable onSuccess) {
    if (Boolean.FALSE.equals(body.getValue("stream"))) {
      long wait = stepDelayMs * lines.size();
      ex.delay(wait)
          .onComplete(
              v -> {
                if (ex.gone()) {
                  return;
                }
                if (error != null) {
                  ex.resp.putHeader("Content-Type", "application/json");
                  ex.body(errorStatus, null, new JsonObject().put("error", error).encode());
                } else {
                  onSuccess.run();
                  ex.body(200, "application/json", lines.get(lines.size() - 1));
                }
              });
      return;
    }
    ex.startNdjson();
    Future<Void> f = Future.succeededFuture();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      long d = i == 0 ? 0 : stepDelayMs;
      f = f.compose(v -> ex.delay(d)).compose(v -> ex.line(line));
    }
    f.onComplete(
        v -> {
          if (ex.gone()) {
            return;
          }
          if (error != null) {
            ex.line(Chunks.errorLine(error)).compose(x -> ex.end());
          } else {
            onSuccess.run();
            ex.end();
          }
        });
  }
}
