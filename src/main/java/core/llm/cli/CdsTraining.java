package core.llm.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The training run behind the class-data sharing archive of the {@code llm} program (see the pom's
 * {@code cds-archive} execution and docs/BENCHMARKS.md, "CLI start-up"): the build runs it once
 * with {@code -XX:ArchiveClassesAtExit}, so the archive holds the classes the everyday commands
 * load, and the first run after a build starts as fast as the later ones. It answers the commands
 * from a small Ollama stand-in on a free loopback port, as a local server would (the answers have
 * Ollama's shapes, so the same parsing and printing code runs); it reads no configuration of the
 * user's and prints nothing.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    int code = 0;
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(CdsTraining::answer)
              .listen(0, "127.0.0.1")
              .await();
      Map<String, String> env = Map.of("OLLAMA_HOST", "127.0.0.1:" + server.actualPort());
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      for (String[] command :
          new String[][] {
            {"--help"}, {"list"}, {"ps"}, {"version"}, {"show", "llama3.2"}, {"providers"}
          }) {
        code |= Llm.run(command, new ByteArrayInputStream(new byte[0]), quiet, quiet, env);
      }
      server.close().await();
    } finally {
      vertx.close().await();
    }
    System.exit(code == 0 ? 0 : 1);
  }

  private static void answer(HttpServerRequest req) {
    JsonObject details =
        new JsonObject()
            .put("format", "gguf")
            .put("family", "llama")
            .put("families", new JsonArray().add("llama"))
            .put("parameter_size", "3.2B")
            .put("quantization_level", "Q4_K_M");
    JsonObject model =
        new JsonObject()
            .put("name", "llama3.2:latest")
            .put("model", "llama3.2:latest")
            .put("modified_at", "2026-01-01T00:00:00Z")
            .put("size", 2019393189L)
            .put("digest", "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72")
            .put("details", details);
    JsonObject body =
        switch (req.path()) {
          case "/api/tags" -> new JsonObject().put("models", new JsonArray().add(model));
          case "/api/ps" ->
              new JsonObject()
                  .put(
                      "models",
                      new JsonArray()
                          .add(
                              model
                                  .copy()
                                  .put("expires_at", "2026-01-01T00:05:00Z")
                                  .put("size_vram", 2019393189L)
                                  .put("context_length", 4096)));
          case "/api/version" -> new JsonObject().put("version", "0.33.0");
          case "/api/show" ->
              new JsonObject()
                  .put("modelfile", "FROM llama3.2\n")
                  .put("parameters", "stop \"<|eot_id|>\"")
                  .put("template", "{{ .Prompt }}")
                  .put("details", details)
                  .put(
                      "model_info",
                      new JsonObject()
                          .put("general.architecture", "llama")
                          .put("llama.context_length", 131072))
                  .put("capabilities", new JsonArray().add("completion").add("tools"));
          default -> null;
        };
    if (body == null) {
      req.response().setStatusCode(404).end("404 page not found");
    } else {
      req.response().putHeader("content-type", "application/json").end(body.encode());
    }
  }
}
