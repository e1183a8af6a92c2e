package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script of src/test/node with the official npm clients (installed there by {@code .ci/run}
 * with {@code npm ci}). Without them the tests skip, unless {@code GATEWAY_CLIENTS_REQUIRED} is set
 * (as CI sets it), when their absence fails the test instead of hiding it.
 */
final class NodeClients {
  static final Path DIR = Path.of("src", "test", "node");

  private NodeClients() {}

  static void assumeInstalled() {
    boolean installed = Files.isDirectory(DIR.resolve("node_modules"));
    if (System.getenv("GATEWAY_CLIENTS_REQUIRED") != null) {
      assertTrue(installed, "run `npm ci` in " + DIR + " (.ci/run does)");
    }
    Assumptions.assumeTrue(installed, "the npm clients are not installed (npm ci in " + DIR + ")");
  }

  /** Runs {@code node script args...} (bounded: 30 s) and returns the JSON line it printed. */
  static JsonObject run(String script, String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "node";
    command[1] = script;
    System.arraycopy(args, 0, command, 2, args.length);
    Process p =
        new ProcessBuilder(command)
            .directory(DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(script + " " + String.join(" ", args) + " did not end in 30 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    return new JsonObject(last);
  }
}
