package core.llm.providers.anthropic;

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
import java.time.Duration;

/**
 * The one place where Anthropic's replies become typed errors. Anthropic answers {@code
 * {"type":"error","error":{"type":...,"message":...}}}; the status decides, the error type settles
 * unusual statuses, and a few stable substrings of the message refine a 400.
 *
 * <p>The API key is removed from every server message kept, in case a gateway echoes it.
 */
final class AnthropicErrors implements HttpErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String apiKey;

  AnthropicErrors(String apiKey) {
    this.apiKey = apiKey;
  }

  @Override
  public LlmException fromStatus(int status, MultiMap headers, String body, ErrorContext context) {
    if (Redirects.isRedirect(status)) {
      return Redirects.error(status, headers, "Anthropic", context);
    }
    Parsed p = parse(body);
    ErrorContext ctx = context.withStatus(status, p.message);
    String where =
        " ("
            + context.endpoint()
            + ", HTTP "
            + status
            + (p.type == null ? "" : ", " + p.type)
            + ")";
    String msg = p.message;
    int effective = status == 400 || status == 500 ? statusOfType(p.type, status) : status;
    switch (effective) {
      case 400 -> {
        String lower = msg.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("prompt is too long")
            || lower.contains("context window")
            || lower.contains("too many tokens")) {
          return new ContextTooLongException(
              "The prompt does not fit the model's context window"
                  + where
                  + ": "
                  + msg
                  + ". Shorten the conversation or use a model with a larger context.",
              ctx);
        }
        if (lower.contains("does not support")) {
          return new CapabilityMissingException(
              "The model cannot do what the request asks"
                  + where
                  + ": "
                  + msg
                  + ". Use a model with that capability.",
              null,
              ctx);
        }
        return new BadRequestException(
            "Anthropic rejected the request"
                + where
                + ": "
                + msg
                + ". Fix the request; sending it again will fail the same way.",
            ctx);
      }
      case 401, 403 -> {
        String what =
            effective == 401
                ? "Anthropic rejected the API key"
                : "The API key may not use this resource";
        return new UnauthorizedException(
            what
                + where
                + ": "
                + msg
                + ". Check AnthropicOptions.apiKey (the ANTHROPIC_API_KEY of your account) and its"
                + " workspace permissions.",
            null,
            ctx);
      }
      case 404 -> {
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("model")) {
          return new ModelNotFoundException(
              "Anthropic does not know this model"
                  + where
                  + ": "
                  + msg
                  + ". Check the model id (listModels() shows those your key can use).",
              ctx);
        }
        return new LlmException(
            ErrorKind.NOT_FOUND,
            "Not found" + where + ": " + msg + ". Check baseUrl: it must point at the API root.",
            ctx,
            null);
      }
      case 413 -> {
        return new BadRequestException(
            "The request is larger than Anthropic accepts"
                + where
                + ": "
                + msg
                + ". Send smaller images or documents, or fewer of them.",
            ctx);
      }
      case 429 -> {
        Duration wait = RetryAfter.parse(headers);
        return new RateLimitedException(
            "Anthropic rate limit reached"
                + where
                + ": "
                + msg
                + (wait == null ? ". Slow down and try later." : ". Retry after " + wait + "."),
            ctx.withRetryAfter(wait));
      }
      case 503, 529 -> {
        return new OverloadedException(
            "Anthropic is overloaded"
                + where
                + ": "
                + msg
                + ". Try again shortly or use another provider.",
            ctx.withRetryAfter(RetryAfter.parse(headers)));
      }
      default -> {
        if (effective >= 500) {
          return new ServerErrorException(
              "Anthropic failed" + where + ": " + msg + ". Try again later.", ctx);
        }
        return new BadRequestException("Anthropic rejected the request" + where + ": " + msg, ctx);
      }
    }
  }

  /** Anthropic sometimes reports a type its status does not say (a 500 carrying an overload). */
  private static int statusOfType(String type, int status) {
    if (type == null) {
      return status;
    }
    return switch (type) {
      case "overloaded_error" -> 529;
      case "rate_limit_error" -> 429;
      case "authentication_error" -> 401;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      default -> status;
    };
  }

  @Override
  public LlmException connectionFailed(Throwable cause, String url, ErrorContext context) {
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : redact(cause.getMessage());
    return new ConnectionException(
        "Cannot reach Anthropic at "
            + url
            + " ("
            + reason
            + "). Check AnthropicOptions.baseUrl,"
            + " the network and any proxy.",
        context,
        cause);
  }

  /**
   * An {@code event: error} inside a 200 stream. Before any chunk, nothing was committed, so an
   * overload keeps its retryable type; after content it is a stream error (the caller has a part).
   */
  LlmException streamError(String data, int chunksBefore, ErrorContext context) {
    Parsed p = parse(data);
    ErrorContext ctx = context.withStatus(0, p.message);
    if (chunksBefore == 0 && "overloaded_error".equals(p.type)) {
      return new OverloadedException(
          "Anthropic is overloaded ("
              + context.endpoint()
              + ", in the stream before any content): "
              + p.message
              + ". Try again shortly or use another provider.",
          ctx);
    }
    return new StreamErrorException(
        "Anthropic reported an error in the stream of "
            + context.endpoint()
            + " after "
            + chunksBefore
            + " chunk(s) ("
            + (p.type == null ? "error" : p.type)
            + "): "
            + p.message,
        ctx);
  }

  String redact(String text) {
    if (text == null || apiKey == null || apiKey.isEmpty()) {
      return text;
    }
    return text.replace(apiKey, "***");
  }

  private record Parsed(String type, String message) {}

  private Parsed parse(String body) {
    String trimmed = body == null ? "" : body.trim();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode error = JSON.readTree(trimmed).path("error");
        if (error.isObject()) {
          String type = error.path("type").isTextual() ? error.path("type").asText() : null;
          return new Parsed(type, redact(error.path("message").asText("")));
        }
      } catch (Exception ignored) {
        // not JSON after all: report the text as it is
      }
    }
    String text = trimmed.length() > 500 ? trimmed.substring(0, 500) + "..." : trimmed;
    return new Parsed(null, redact(text.isEmpty() ? "(empty body)" : text));
  }
}
