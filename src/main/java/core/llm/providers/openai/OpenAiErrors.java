package core.llm.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.BadRequestException;
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
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where an OpenAI-compatible server's replies become typed errors. Reads OpenAI's
 * {@code {"error":{"message","type","code"}}} and vLLM's flat {@code {"object":"error","message"}}
 * bodies, and plain text. Server messages are redacted: OpenAI echoes a masked key on 401, and a
 * proxy might echo it whole.
 */
final class OpenAiErrors implements HttpErrorMapper {
  private static final Pattern SECRET = Pattern.compile("sk-[A-Za-z0-9_\\-*]{6,}");

  private final String apiKey;

  OpenAiErrors(String apiKey) {
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  @Override
  public LlmException fromStatus(int status, MultiMap headers, String body, ErrorContext context) {
    if (Redirects.isRedirect(status)) {
      return Redirects.error(status, headers, "The server", context);
    }
    Parsed p = parse(body);
    String msg = redact(p.message);
    ErrorContext ctx = context.withStatus(status, msg);
    String where = " (" + context.endpoint() + ", HTTP " + status + ")";
    String said = msg.isEmpty() ? "" : ": " + msg;
    String lower = (msg + " " + p.code + " " + p.type).toLowerCase(Locale.ROOT);
    if (isContextTooLong(lower)) {
      return new ContextTooLongException(
          "The prompt does not fit the model's context"
              + where
              + said
              + ". Shorten the conversation or lower max_tokens.",
          ctx);
    }
    if (status == 404 || "model_not_found".equals(p.code)) {
      if ("model_not_found".equals(p.code) || lower.contains("model")) {
        return new ModelNotFoundException(
            "The model is not served by this server"
                + where
                + said
                + ". Check the model name against GET /models.",
            ctx);
      }
      return new LlmException(
          ErrorKind.NOT_FOUND,
          "Not found"
              + where
              + said
              + ". Check that baseUrl ends with the API version (often /v1).",
          ctx,
          null);
    }
    return switch (status) {
      case 400, 409, 413, 422 ->
          status == 409
              ? new ServerErrorException(
                  "Conflict on the server" + where + said + "; try again.", ctx)
              : new BadRequestException("The server rejected the request" + where + said, ctx);
      case 401, 403 ->
          new UnauthorizedException(
              (status == 401 ? "Authentication failed" : "Permission denied")
                  + where
                  + said
                  + ". Check the API key (and organization/project) configured for this provider.",
              null,
              ctx);
      case 408, 504 ->
          new ServerErrorException(
              "The server timed out" + where + said + "; try again or use a smaller request.", ctx);
      case 429 ->
          new RateLimitedException(
              "Rate limited"
                  + where
                  + said
                  + (lower.contains("quota")
                      ? ". The quota is exhausted: check the account's plan and billing."
                      : ". Slow down, or wait for the Retry-After delay."),
              ctx.withRetryAfter(RetryAfter.parse(headers)));
      case 503, 529 ->
          new OverloadedException(
              "The server is overloaded" + where + said + "; try again shortly.",
              ctx.withRetryAfter(RetryAfter.parse(headers)));
      default ->
          status >= 500
              ? new ServerErrorException("The server failed" + where + said, ctx)
              : new BadRequestException("The server rejected the request" + where + said, ctx);
    };
  }

  @Override
  public LlmException connectionFailed(Throwable cause, String url, ErrorContext context) {
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ConnectionException(
        "Cannot reach the OpenAI-compatible server '"
            + context.provider()
            + "' at "
            + url
            + " ("
            + redact(reason)
            + "). Is it running, and is baseUrl right?",
        context,
        cause);
  }

  /** An {@code {"error": ...}} payload inside a 200 stream: always a stream error. */
  LlmException streamError(JsonNode error, int chunksBefore, ErrorContext context) {
    Parsed p = parseError(error);
    String msg = redact(p.message);
    return new StreamErrorException(
        "The server reported an error in the stream of "
            + context.endpoint()
            + " after "
            + chunksBefore
            + " chunk(s): "
            + msg,
        context.withStatus(0, msg));
  }

  private static boolean isContextTooLong(String lower) {
    return lower.contains("context_length_exceeded")
        || lower.contains("maximum context length")
        || lower.contains("exceed_context_size")
        || lower.contains("exceeds the context")
        || lower.contains("context window");
  }

  String redact(String text) {
    if (text == null) {
      return "";
    }
    String out = apiKey == null ? text : text.replace(apiKey, "***");
    return SECRET.matcher(out).replaceAll("sk-***");
  }

  private record Parsed(String message, String type, String code) {}

  private static Parsed parse(String body) {
    String trimmed = body == null ? "" : body.trim();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode node = OpenAiJson.MAPPER.readTree(trimmed);
        JsonNode error = node.get("error");
        return parseError(error != null ? error : node);
      } catch (Exception ignored) {
        // not JSON after all: report the text as it is
      }
    }
    String text = trimmed.length() > 500 ? trimmed.substring(0, 500) + "..." : trimmed;
    return new Parsed(text, "", "");
  }

  private static Parsed parseError(JsonNode error) {
    if (error == null || error.isNull()) {
      return new Parsed("", "", "");
    }
    if (error.isTextual()) {
      return new Parsed(error.asText(), "", "");
    }
    JsonNode message = error.get("message");
    return new Parsed(
        message == null
            ? error.toString()
            : message.isTextual() ? message.asText() : message.toString(),
        text(error.get("type")),
        text(error.get("code")));
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? "" : node.asText();
  }
}
