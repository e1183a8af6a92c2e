package core.llm.providers.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import core.llm.common.BadRequestException;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorContext;
import core.llm.common.InternalErrorException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ResponseFormat;
import io.vertx.core.Future;

/**
 * The shared part of {@link LlmProvider#generateJson}: ask with a schema, parse, type the failure.
 */
final class StructuredOutput {
  /**
   * Optional components of the user's record read as Optional.empty() when absent or null;
   * java.time values from the ISO strings their schema asks for.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());

  private StructuredOutput() {}

  static <T> Future<T> generate(LlmProvider provider, CompletionRequest request, Class<T> type) {
    JsonNode schema;
    try {
      schema = JsonSchemas.of(type);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new BadRequestException(
              "generateJson cannot ask for "
                  + (type == null ? "no type" : type.getTypeName())
                  + ": "
                  + e.getMessage(),
              ErrorContext.of(provider.name(), "structured output"),
              e));
    }
    return ask(provider, request, ResponseFormat.schema(type.getSimpleName(), schema))
        .compose(
            result -> {
              String text = stripFences(result.content());
              try {
                return Future.succeededFuture(JSON.readValue(text, type));
              } catch (Exception e) {
                return Future.failedFuture(
                    invalid(provider, result, "a " + type.getSimpleName(), e));
              }
            });
  }

  static Future<JsonNode> generate(
      LlmProvider provider, CompletionRequest request, JsonNode schema) {
    return ask(provider, request, ResponseFormat.schema("response", schema))
        .compose(
            result -> {
              try {
                JsonNode node = JSON.readTree(stripFences(result.content()));
                if (node == null || node.isMissingNode()) {
                  throw new IllegalArgumentException("empty reply");
                }
                return Future.succeededFuture(node);
              } catch (Exception e) {
                return Future.failedFuture(invalid(provider, result, "JSON", e));
              }
            });
  }

  private static Future<CompletionResult> ask(
      LlmProvider provider, CompletionRequest request, ResponseFormat format) {
    try {
      return provider.chat(request.withResponseFormat(format));
    } catch (LlmException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      // a provider that throws instead of failing its Future: a bug, reported as one
      return Future.failedFuture(
          new InternalErrorException(
              provider.name() + " threw instead of failing: " + e,
              ErrorContext.of(provider.name(), "structured output"),
              e));
    }
  }

  /** Some models wrap JSON in a Markdown fence even when constrained; accept that, nothing more. */
  private static String stripFences(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("```")) {
      int firstNewline = t.indexOf('\n');
      int lastFence = t.lastIndexOf("```");
      if (firstNewline > 0 && lastFence > firstNewline) {
        return t.substring(firstNewline + 1, lastFence).trim();
      }
    }
    return t;
  }

  private static InvalidResponseException invalid(
      LlmProvider provider, CompletionResult result, String expected, Exception cause) {
    String reply = result.content() == null ? "" : result.content();
    String quoted = reply.length() > 200 ? reply.substring(0, 200) + "..." : reply;
    return new InvalidResponseException(
        "The reply of "
            + provider.name()
            + " ("
            + result.model()
            + ") is not "
            + expected
            + ": "
            + cause.getMessage()
            + ". Reply: \""
            + quoted
            + "\"",
        ErrorContext.of(provider.name(), "structured output"),
        cause);
  }
}
