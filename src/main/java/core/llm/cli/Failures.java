package core.llm.cli;

import core.llm.common.CapabilityMissingException;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.UnauthorizedException;
import core.llm.factory.NoProviderForModelException;
import core.llm.factory.ProviderNotFoundException;
import core.llm.factory.ServiceUnavailableException;
import core.llm.providers.config.ConfigProblem;
import core.llm.providers.config.ConfigValidationException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns any failure into one line for stderr and an exit code, from the typed {@link LlmException}
 * kinds: the user must learn what to do next (start Ollama, pull the model...), not read a trace.
 */
final class Failures {
  private Failures() {}

  /** One line and its exit code. */
  record Report(int exitCode, String line) {}

  /**
   * @param t what failed
   * @param model the model the command was about, or null: it makes "not found" actionable
   * @param serverUrl where the command tried to connect (the provider's base URL), or null
   */
  static Report describe(Throwable t, String model, String serverUrl) {
    return describe(t, model, serverUrl, null);
  }

  /**
   * @param notFoundHint what to suggest when the model is not found, or null for pulling it (right
   *     for a model to use, wrong for one that must already be local, as push needs)
   */
  static Report describe(Throwable t, String model, String serverUrl, String notFoundHint) {
    Throwable e = unwrap(t);
    if (e instanceof ServiceUnavailableException su) {
      // Every candidate failed; when they failed to connect, the useful advice is the connection
      // one.
      LlmException conn = find(su, ErrorKind.CONNECTION);
      if (conn != null) {
        return connection(conn, serverUrl);
      }
      return new Report(ExitCodes.UNAVAILABLE, "error: " + su.getMessage());
    }
    if (e instanceof ConfigValidationException cv) {
      List<ConfigProblem> errors = cv.report().errors();
      String first = errors.isEmpty() ? cv.getMessage() : errors.get(0).toString();
      String more =
          errors.size() > 1
              ? " (and " + (errors.size() - 1) + " more; run `llm config validate FILE`)"
              : "";
      return new Report(ExitCodes.CONFIG, "error: invalid configuration: " + first + more);
    }
    if (e instanceof ProviderNotFoundException p) {
      return new Report(ExitCodes.CONFIG, "error: " + p.getMessage());
    }
    if (e instanceof NoProviderForModelException n) {
      return new Report(ExitCodes.NOT_FOUND, "error: " + n.getMessage());
    }
    if (e instanceof LlmException wrong
        && wrong.kind() == ErrorKind.NOT_FOUND
        && "404 page not found".equals(String.valueOf(wrong.context().serverMessage()).strip())) {
      // Go's answer for a route it does not have: the base URL has a path it should not have
      // (OLLAMA_HOST=http://host:11434/api), not a missing model.
      return new Report(
          ExitCodes.CONFIG,
          "error: the server"
              + at(serverUrl)
              + " answered `404 page not found`:"
              + " the URL looks wrong; give the server's root (e.g. http://127.0.0.1:11434), without /api");
    }
    if (e instanceof ModelNotFoundException
        || (e instanceof LlmException le && le.kind() == ErrorKind.NOT_FOUND)) {
      String name = model == null ? "MODEL" : model;
      String hint = notFoundHint != null ? notFoundHint : "try `llm pull " + name + "`";
      return new Report(ExitCodes.NOT_FOUND, "error: model '" + name + "' not found; " + hint);
    }
    if (e instanceof CapabilityMissingException c) {
      // The library's message points Java code at OllamaClient.show; a person gets the command.
      String what = c.capability() == null ? "what this request needs" : c.capability();
      String name = model == null ? "the model" : "'" + model + "'";
      return new Report(
          ExitCodes.CAPABILITY,
          "error: "
              + name
              + " does not support "
              + what
              + "; `llm show "
              + (model == null ? "MODEL" : model)
              + "` lists what it can do, or pick a model with that capability");
    }
    if (e instanceof UnauthorizedException u) {
      String signin = u.signinUrl().map(url -> "; sign in at " + url).orElse("");
      return new Report(ExitCodes.UNAUTHORIZED, "error: unauthorized: " + u.getMessage() + signin);
    }
    if (e instanceof LlmTimeoutException to) {
      return new Report(
          ExitCodes.UNAVAILABLE,
          "error: timed out (" + to.phase() + ")" + at(serverUrl) + ": " + to.getMessage());
    }
    if (e instanceof LlmException le) {
      return switch (le.kind()) {
        case CONNECTION -> connection(le, serverUrl);
        case OVERLOADED, RATE_LIMITED, TIMEOUT ->
            new Report(ExitCodes.UNAVAILABLE, "error: " + le.getMessage());
        case BAD_REQUEST, CONTEXT_TOO_LONG ->
            new Report(ExitCodes.BAD_REQUEST, "error: " + le.getMessage());
        case CANCELLED -> new Report(ExitCodes.INTERRUPTED, "cancelled");
        default -> new Report(ExitCodes.SERVER, "error: " + le.getMessage());
      };
    }
    if (e instanceof NoSuchFileException f) {
      return new Report(ExitCodes.ERROR, "error: no such file: " + f.getFile());
    }
    if (e instanceof java.nio.file.FileSystemException f) {
      String why =
          e instanceof java.nio.file.AccessDeniedException
              ? "permission denied"
              : e instanceof java.nio.file.NotDirectoryException
                  ? "not a folder"
                  : e instanceof java.nio.file.FileAlreadyExistsException
                      ? "it already exists"
                      : f.getReason() == null ? "it cannot be used" : f.getReason();
      return new Report(ExitCodes.ERROR, "error: " + f.getFile() + ": " + why);
    }
    String msg = e.getMessage();
    return new Report(
        ExitCodes.ERROR,
        "error: " + (msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg));
  }

  private static Report connection(LlmException e, String serverUrl) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        return new Report(ExitCodes.UNAVAILABLE, "error: " + e.getMessage());
      }
    }
    return new Report(
        ExitCodes.UNAVAILABLE,
        "error: could not connect to Ollama"
            + at(serverUrl)
            + ": is it running? Start it with `ollama serve`, or point OLLAMA_HOST (or the provider's baseUrl"
            + " in the config file) at its address");
  }

  private static String at(String url) {
    return url == null ? "" : " at " + url;
  }

  /** The first error of that kind in the cause chain. */
  private static LlmException find(Throwable t, ErrorKind kind) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LlmException le && le.kind() == kind) {
        return le;
      }
    }
    return null;
  }

  /** Strips the wrappers futures and picocli put around the real failure. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException
            || e instanceof ExecutionException
            || e instanceof picocli.CommandLine.ExecutionException
            // Vert.x's file system wraps the JDK's exception (NoSuchFile, AccessDenied...)
            || e instanceof io.vertx.core.file.FileSystemException
            || (e instanceof java.io.UncheckedIOException))
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
