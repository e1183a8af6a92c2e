package core.llm.gateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.BadRequestException;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages request to the neutral one. As with OpenAI's, what would change the answer
 * and has no neutral form (server tools, forced tool choice, redacted thinking, documents, image
 * URLs) is refused with 400, never dropped. Hints that do not change the answer ({@code
 * cache_control}, {@code metadata}, {@code service_tier}) are accepted and not passed on.
 */
final class AnthropicApiRequests {
  private AnthropicApiRequests() {}

  /** Fields of features the gateway cannot carry to another provider. */
  private static final List<String> REFUSED =
      List.of("container", "mcp_servers", "context_management");

  /** A {@code /v1/messages} body; {@code max_tokens} is required, as Anthropic requires it. */
  static CompletionRequest messages(JsonNode body) {
    CompletionRequest.Builder b = common(body);
    JsonNode max = body.get("max_tokens");
    if (max == null || !max.canConvertToInt() || max.asInt() < 1) {
      throw bad("max_tokens is required and must be a positive integer");
    }
    GenerationOptions.Builder o = GenerationOptions.builder().maxTokens(max.asInt());
    if (body.hasNonNull("temperature")) {
      o.temperature(body.get("temperature").asDouble());
    }
    if (body.hasNonNull("top_p")) {
      o.topP(body.get("top_p").asDouble());
    }
    if (body.hasNonNull("top_k")) {
      // every provider that samples by top_k reads it under this name (Ollama's options too)
      o.providerOption("top_k", body.get("top_k").asInt());
    }
    if (body.hasNonNull("stop_sequences")) {
      o.stop(OpenAiApiRequests.strings(body.get("stop_sequences"), "stop_sequences"));
    }
    return b.options(o.build()).build();
  }

  /** A {@code /v1/messages/count_tokens} body: what is counted, without generation settings. */
  static CompletionRequest countTokens(JsonNode body) {
    return common(body).build();
  }

  private static CompletionRequest.Builder common(JsonNode body) {
    if (!body.isObject()) {
      throw bad("the request body must be a JSON object");
    }
    CompletionRequest.Builder b = CompletionRequest.builder(text(body, "model"));
    for (String f : REFUSED) {
      if (body.hasNonNull(f)) {
        throw bad(f + " is not supported by the gateway");
      }
    }
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      b.system(plainText(system, "system"));
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw bad("messages must be a non-empty array");
    }
    Map<String, String> toolNames = new HashMap<>(); // a tool_result names its call, not its tool
    for (JsonNode m : messages) {
      messages(m, toolNames).forEach(b::message);
    }
    for (JsonNode t : body.path("tools")) {
      String type = t.path("type").asText("custom");
      if (!type.equals("custom")) {
        throw bad(
            "tool type "
                + type
                + " is a server tool of Anthropic's; the gateway supports client tools only");
      }
      JsonNode schema = t.get("input_schema");
      b.tool(
          new ToolDefinition(
              text(t, "name"),
              t.path("description").asText(null),
              schema == null || schema.isNull()
                  ? Bodies.JSON.createObjectNode().put("type", "object")
                  : schema));
    }
    JsonNode choice = body.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (!choice.path("type").asText("").equals("auto")) {
        throw bad("tool_choice other than {\"type\": \"auto\"} is not supported");
      }
      if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
        throw bad("tool_choice.disable_parallel_tool_use is not supported");
      }
    }
    thinking(body.get("thinking"), b);
    JsonNode output = body.get("output_config");
    if (output != null && !output.isNull()) {
      if (output.hasNonNull("effort")) {
        throw bad("output_config.effort is not supported; use thinking.budget_tokens");
      }
      JsonNode format = output.get("format");
      if (format != null && !format.isNull()) {
        if (!format.path("type").asText("").equals("json_schema") || !format.has("schema")) {
          throw bad("output_config.format must be {\"type\": \"json_schema\", \"schema\": {...}}");
        }
        b.responseFormat(ResponseFormat.schema(null, format.get("schema")));
      }
    }
    return b;
  }

  private static void thinking(JsonNode t, CompletionRequest.Builder b) {
    if (t == null || t.isNull()) {
      return;
    }
    String type = t.path("type").asText("");
    switch (type) {
      case "disabled" -> b.think(Thinking.OFF);
      case "adaptive" -> b.think(Thinking.ON);
      case "enabled" -> {
        JsonNode budget = t.get("budget_tokens");
        if (budget == null || !budget.canConvertToInt() || budget.asInt() < 1) {
          throw bad("thinking.budget_tokens is required and must be a positive integer");
        }
        b.think(Thinking.budget(budget.asInt()));
      }
      default -> throw bad("thinking type " + type + " is not supported");
    }
  }

  /**
   * One Anthropic message as neutral ones: a user turn's {@code tool_result} blocks become tool
   * messages (before its text, as Anthropic puts them first), the rest one user message.
   */
  private static List<ChatMessage> messages(JsonNode m, Map<String, String> toolNames) {
    String role = m.path("role").asText("");
    JsonNode content = m.get("content");
    if (content == null || !(content.isTextual() || content.isArray())) {
      throw bad("message content must be a string or an array of content blocks");
    }
    return switch (role) {
      case "system" -> List.of(ChatMessage.system(plainText(content, "system")));
      case "user" -> user(content, toolNames);
      case "assistant" -> List.of(assistant(content, toolNames));
      default -> throw bad("unknown message role " + role + " (expected user or assistant)");
    };
  }

  private static List<ChatMessage> user(JsonNode content, Map<String, String> toolNames) {
    if (content.isTextual()) {
      return List.of(ChatMessage.user(content.asText()));
    }
    List<ChatMessage> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    List<ImageData> images = new ArrayList<>();
    for (JsonNode block : content) {
      String type = block.path("type").asText("");
      switch (type) {
        case "text" -> text.append(block.path("text").asText(""));
        case "image" -> images.add(image(block.path("source")));
        case "tool_result" -> {
          String id = block.path("tool_use_id").asText(null);
          if (id == null) {
            throw bad("tool_result.tool_use_id is required");
          }
          JsonNode result = block.get("content");
          String value = result == null ? "" : plainText(result, "tool_result content");
          if (block.path("is_error").asBoolean(false)) {
            // no neutral flag for a failed tool: say so in the words the model reads
            value = "Error: " + value;
          }
          out.add(ChatMessage.toolResult(id, toolNames.get(id), value));
        }
        default -> throw bad("content block type " + type + " is not supported in user messages");
      }
    }
    if (text.length() > 0 || !images.isEmpty() || out.isEmpty()) {
      out.add(
          images.isEmpty()
              ? ChatMessage.user(text.toString())
              : ChatMessage.user(text.toString(), images));
    }
    return out;
  }

  private static ChatMessage assistant(JsonNode content, Map<String, String> toolNames) {
    if (content.isTextual()) {
      return ChatMessage.assistant(content.asText());
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    String signature = null;
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      String type = block.path("type").asText("");
      switch (type) {
        case "text" -> text.append(block.path("text").asText(""));
        case "thinking" -> {
          thinking.append(block.path("thinking").asText(""));
          String s = block.path("signature").asText("");
          signature = s.isEmpty() ? signature : s;
        }
        case "tool_use" -> {
          String id = text(block, "id");
          String name = text(block, "name");
          toolNames.put(id, name);
          calls.add(new ToolCall(id, name, arguments(block.get("input"))));
        }
        case "redacted_thinking" ->
            throw bad(
                "redacted_thinking blocks cannot be carried through the gateway; leave them out of"
                    + " the history");
        default ->
            throw bad("content block type " + type + " is not supported in assistant messages");
      }
    }
    return ChatMessage.assistant(
        text.toString(), thinking.length() == 0 ? null : thinking.toString(), signature, calls);
  }

  private static ImageData image(JsonNode source) {
    String type = source.path("type").asText("");
    if (!type.equals("base64")) {
      throw bad("image source type " + type + " is not supported; send the image as base64");
    }
    String media = source.path("media_type").asText("");
    String data = source.path("data").asText("");
    if (data.isEmpty()) {
      throw bad("image source data is required");
    }
    return ImageData.of("data:" + media + ";base64," + data);
  }

  private static Map<String, Object> arguments(JsonNode input) {
    if (input == null || input.isNull()) {
      return Map.of();
    }
    if (!input.isObject()) {
      throw bad("tool_use.input must be a JSON object");
    }
    return Bodies.JSON.convertValue(input, new TypeReference<Map<String, Object>>() {});
  }

  /** A string, or an array of text blocks (system prompts, tool results). */
  private static String plainText(JsonNode content, String what) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode p : content) {
        if (!p.path("type").asText("").equals("text")) {
          throw bad("only text blocks are supported in " + what);
        }
        sb.append(p.path("text").asText(""));
      }
      return sb.toString();
    }
    throw bad(what + " must be a string or an array of text blocks");
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw bad(field + " is required and must be a string");
    }
    return v.asText();
  }

  static BadRequestException bad(String message) {
    return new BadRequestException(message, ErrorContext.NONE);
  }
}
