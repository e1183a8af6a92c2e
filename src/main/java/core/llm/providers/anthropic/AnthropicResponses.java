package core.llm.providers.anthropic;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorContext;
import core.llm.common.FinishReason;
import core.llm.common.InvalidResponseException;
import core.llm.common.Role;
import core.llm.common.ToolCall;
import core.llm.common.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a non-streamed Messages reply, and the mappings streams share with it. */
final class AnthropicResponses {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private AnthropicResponses() {}

  /**
   * The reply as a result. In structured mode the input of the {@code respond} tool becomes the
   * content text, and the finish reason is STOP (the forced tool call is how the answer ends).
   */
  static CompletionResult message(
      String provider, Buffer body, boolean structured, ErrorContext ctx) {
    JsonNode root = parse(body, ctx);
    StringBuilder content = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    ThinkingSignature signature = new ThinkingSignature();
    List<ToolCall> calls = new ArrayList<>();
    boolean answered = false;
    for (JsonNode block : root.path("content")) {
      signature.block(block);
      switch (block.path("type").asText()) {
        case "text" -> content.append(block.path("text").asText());
        case "thinking" -> {
          thinking.append(block.path("thinking").asText());
          signature.append(block.path("signature").asText(""));
        }
        case "tool_use" -> {
          String name = block.path("name").asText();
          JsonNode input = block.path("input");
          if (structured && AnthropicProvider.STRUCTURED_TOOL.equals(name)) {
            content.setLength(0); // a preamble before the forced tool is not part of the JSON
            content.append(input.toString());
            answered = true;
          } else {
            calls.add(new ToolCall(block.path("id").asText(null), name, toMap(input, name, ctx)));
          }
        }
        default -> {
          // redacted_thinking, server tool blocks...: nothing the neutral types can carry
        }
      }
    }
    FinishReason finish =
        answered ? FinishReason.STOP : finishReason(root.path("stop_reason").asText(null));
    ChatMessage message =
        new ChatMessage(
            Role.ASSISTANT,
            content.toString(),
            thinking.length() == 0 ? null : thinking.toString(),
            signature.value(),
            null,
            calls,
            null,
            null);
    return new CompletionResult(
        provider,
        root.path("model").asText(null),
        message,
        finish,
        usage(root.path("usage"), null));
  }

  static JsonNode parse(Buffer body, ErrorContext ctx) {
    try {
      JsonNode root = AnthropicRequests.JSON.readTree(body.getBytes());
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return root;
    } catch (Exception e) {
      String text = body.toString();
      throw new InvalidResponseException(
          "Anthropic sent a reply that is not a JSON object ("
              + ctx.endpoint()
              + "): \""
              + (text.length() > 200 ? text.substring(0, 200) + "..." : text)
              + "\"",
          ctx,
          e);
    }
  }

  static FinishReason finishReason(String stopReason) {
    if (stopReason == null) {
      return FinishReason.OTHER;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "max_tokens" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /**
   * Usage from an Anthropic usage object; prompt tokens include cache creation and cache reads,
   * since the model read them all. {@code knownInput} stands in when the object has none (streams
   * report input tokens in {@code message_start} and output tokens in {@code message_delta}).
   */
  static Usage usage(JsonNode u, Integer knownInput) {
    Integer input = knownInput;
    if (u.has("input_tokens")) {
      input =
          u.path("input_tokens").asInt()
              + u.path("cache_creation_input_tokens").asInt(0)
              + u.path("cache_read_input_tokens").asInt(0);
    }
    Integer output = u.has("output_tokens") ? u.path("output_tokens").asInt() : null;
    return Usage.of(input, output);
  }

  /** A tool input (object) as a map; a tool input that is not an object is a protocol breach. */
  static Map<String, Object> toMap(JsonNode input, String tool, ErrorContext ctx) {
    if (input == null || input.isMissingNode() || input.isNull()) {
      return Map.of();
    }
    if (!input.isObject()) {
      throw new InvalidResponseException(
          "The input of tool call '" + tool + "' is not a JSON object: " + input, ctx);
    }
    return AnthropicRequests.JSON.convertValue(input, MAP);
  }

  /** Tool input assembled from streamed fragments; empty means no arguments. */
  static Map<String, Object> toMap(String json, String tool, ErrorContext ctx) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = AnthropicRequests.JSON.readTree(json);
    } catch (Exception e) {
      throw new InvalidResponseException(
          "The streamed input of tool call '"
              + tool
              + "' is not valid JSON: \""
              + (json.length() > 200 ? json.substring(0, 200) + "..." : json)
              + "\"",
          ctx,
          e);
    }
    return toMap(node, tool, ctx);
  }
}
