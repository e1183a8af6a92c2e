package core.llm.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.BadRequestException;
import core.llm.common.CapabilityMissingException;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import core.llm.common.UnauthorizedException;
import core.llm.providers.spi.HttpErrorMapper;
import core.llm.providers.spi.Redirects;
import core.llm.providers.spi.RetryAfter;
import io.vertx.core.MultiMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where Ollama's replies become typed errors. Matches on status plus stable
 * substrings, never on whole messages (their wording differs between endpoints and versions; see
 * §6.2 of the API reference).
 */
final class OllamaErrors implements HttpErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DOES_NOT_SUPPORT = Pattern.compile("does not support ([a-z ]+)");
  private static final Pattern MODEL_NAME = Pattern.compile("model ['\"]([^'\"]*)['\"]");

  @Override
  public LlmException fromStatus(int status, MultiMap headers, String body, ErrorContext context) {
    if (Redirects.isRedirect(status)) {
      return Redirects.error(status, headers, "Ollama", context);
    }
    Parsed parsed = parse(body);
    ErrorContext ctx = context.withStatus(status, parsed.message);
    String msg = parsed.message == null ? "" : parsed.message;
    String where = " (" + context.endpoint() + ", HTTP " + status + ")";
    switch (status) {
      case 401 -> {
        return new UnauthorizedException(
            "Ollama refused the request: not signed in to ollama.com"
                + where
                + ": "
                + msg
                + (parsed.signinUrl != null ? ". Sign in at " + parsed.signinUrl : "")
                + ". For ollama.com directly, set OLLAMA_API_KEY.",
            parsed.signinUrl,
            ctx);
      }
      case 403 -> {
        String why =
            msg.isEmpty()
                ? "the server rejected this client's Host or Origin header (set OLLAMA_ORIGINS on the"
                    + " server, or connect through localhost)"
                : msg;
        return new UnauthorizedException(
            "Ollama refused the request" + where + ": " + why, null, ctx);
      }
      case 404 -> {
        if (parsed.plainText) {
          return new LlmException(
              ErrorKind.NOT_FOUND,
              "The server has no "
                  + context.endpoint()
                  + " route"
                  + where
                  + ": is it Ollama, and recent enough for this call? It said: "
                  + msg,
              ctx,
              null);
        }
        if (msg.contains("not found") && msg.contains("model")) {
          String model = modelName(msg);
          return new ModelNotFoundException(
              "Model "
                  + (model == null ? "" : "'" + model + "' ")
                  + "not found"
                  + where
                  + ". Pull it first (ollama pull "
                  + (model == null ? "MODEL" : model)
                  + ", or OllamaClient.pull). Server said: "
                  + msg,
              ctx);
        }
        return new LlmException(ErrorKind.NOT_FOUND, "Not found" + where + ": " + msg, ctx, null);
      }
      case 429 -> {
        return new RateLimitedException(
            "Rate limited" + where + ": " + msg, ctx.withRetryAfter(RetryAfter.parse(headers)));
      }
      case 503 -> {
        return new OverloadedException(
            "Ollama is busy"
                + where
                + ": "
                + msg
                + ". Its request queue is full (OLLAMA_MAX_QUEUE); try again shortly.",
            ctx.withRetryAfter(RetryAfter.parse(headers)));
      }
      default -> {
        return byMessage(status, msg, where, ctx);
      }
    }
  }

  private static LlmException byMessage(int status, String msg, String where, ErrorContext ctx) {
    Matcher capability = DOES_NOT_SUPPORT.matcher(msg);
    if (status == 400 && capability.find()) {
      String cap = capability.group(1).trim();
      return new CapabilityMissingException(
          "The model does not support "
              + cap
              + where
              + ": "
              + msg
              + ". Use a model with the '"
              + cap
              + "' capability (see OllamaClient.show).",
          cap,
          ctx);
    }
    if (msg.contains("longer than the context length")
        || msg.contains("exceeds the context length")) {
      return new ContextTooLongException(
          "The prompt does not fit the model's context"
              + where
              + ": "
              + msg
              + ". Shorten it, or raise options.num_ctx.",
          ctx);
    }
    if (status >= 400 && status < 500) {
      return new BadRequestException("Ollama rejected the request" + where + ": " + msg, ctx);
    }
    // Ollama answers 500 for some client mistakes; they will fail again anywhere, so not retryable.
    if (msg.startsWith("option \"") || msg.startsWith("invalid format")) {
      return new BadRequestException("Ollama rejected the request" + where + ": " + msg, ctx);
    }
    return new ServerErrorException("Ollama failed" + where + ": " + msg, ctx);
  }

  @Override
  public LlmException connectionFailed(Throwable cause, String url, ErrorContext context) {
    for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException tls) {
        // the server is there; its certificate (or ours) is the problem, not whether it runs
        return new ConnectionException(
            "The TLS handshake with "
                + url
                + " failed ("
                + (tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage())
                + "). Trust its certificate (http.tls.trustStore in the configuration, or"
                + " OllamaClientOptions.setTrustStorePath), or check the client certificate.",
            context,
            cause);
      }
    }
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ConnectionException(
        "Cannot reach Ollama at "
            + url
            + " ("
            + reason
            + "). Is Ollama running? Start it with"
            + " `ollama serve`, or set OLLAMA_HOST to where it listens.",
        context,
        cause);
  }

  /** An {@code {"error": ...}} line inside a 200 stream. */
  static LlmException streamError(
      String message, String signinUrl, int chunksBefore, ErrorContext context) {
    ErrorContext ctx = context.withStatus(0, message);
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (signinUrl != null
        || lower.contains("unauthorized")
        || lower.contains("not authorized")
        || lower.contains("you need to be signed in")) {
      // A push (or a cloud pull) refused by ollama.com after the 200 head: the same failure as a
      // 401 before it, so the caller (and the CLI's exit code) can tell it from a server fault.
      return new UnauthorizedException(
          "Ollama refused the request: not signed in to ollama.com, or not allowed to use that"
              + " namespace ("
              + context.endpoint()
              + "): "
              + message
              + (signinUrl != null ? ". Sign in at " + signinUrl : "")
              + ". For ollama.com directly, set OLLAMA_API_KEY.",
          signinUrl,
          ctx);
    }
    if (message.contains("file does not exist") || message.contains("not found")) {
      return new ModelNotFoundException(
          "Ollama could not find the model"
              + " ("
              + context.endpoint()
              + "): "
              + message
              + ". Check the name and tag on ollama.com/library.",
          ctx);
    }
    return new StreamErrorException(
        "Ollama reported an error in the stream of "
            + context.endpoint()
            + " after "
            + chunksBefore
            + " chunk(s): "
            + message,
        ctx);
  }

  private static String modelName(String msg) {
    Matcher m = MODEL_NAME.matcher(msg);
    return m.find() ? m.group(1) : null;
  }

  private record Parsed(String message, String signinUrl, boolean plainText) {}

  private static Parsed parse(String body) {
    String trimmed = body == null ? "" : body.trim();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(trimmed);
        JsonNode error = node.get("error");
        JsonNode signin = node.get("signin_url");
        if (error != null) {
          return new Parsed(
              error.isTextual() ? error.asText() : error.toString(),
              signin == null ? null : signin.asText(),
              false);
        }
      } catch (Exception ignored) {
        // not JSON after all: report the text as it is
      }
    }
    return new Parsed(trimmed, null, true);
  }
}
