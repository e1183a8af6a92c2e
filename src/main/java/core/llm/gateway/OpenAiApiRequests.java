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
 * An OpenAI chat request to the neutral one. What would change the answer and has no neutral form
 * is refused with 400, never dropped: the client would get an answer to a different question.
 */
final class OpenAiApiRequests {
  private OpenAiApiRequests() {}

  static CompletionRequest chat(JsonNode body) {
    if (!body.isObject()) {
      throw bad("the request body must be a JSON object");
    }
    String model = text(body, "model", true);
    if (body.hasNonNull("n") && body.get("n").asInt() != 1) {
      throw bad("n other than 1 is not supported");
    }
    if (body.path("logprobs").asBoolean(false) || body.hasNonNull("top_logprobs")) {
      throw bad("logprobs are not supported");
    }
    for (String f : List.of("logit_bias", "frequency_penalty", "presence_penalty", "audio")) {
      if (body.hasNonNull(f)) {
        throw bad(f + " is not supported");
      }
    }
    JsonNode choice = body.get("tool_choice");
    if (choice != null
        && !choice.isNull()
        && !(choice.isTextual() && choice.asText().equals("auto"))) {
      throw bad("tool_choice other than \"auto\" is not supported");
    }
    CompletionRequest.Builder b = CompletionRequest.builder(model);
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw bad("messages must be a non-empty array");
    }
    Map<String, String> toolNames = new HashMap<>(); // a tool message names its call, not its tool
    for (JsonNode m : messages) {
      b.message(message(m, toolNames));
    }
    for (JsonNode t : body.path("tools")) {
      if (!t.path("type").asText("function").equals("function")) {
        throw bad("only function tools are supported");
      }
      JsonNode f = t.path("function");
      JsonNode params = f.get("parameters");
      b.tool(
          new ToolDefinition(
              text(f, "name", true),
              f.path("description").asText(null),
              params == null || params.isNull()
                  ? Bodies.JSON.createObjectNode().put("type", "object")
                  : params));
    }
    JsonNode rf = body.get("response_format");
    if (rf != null && !rf.isNull()) {
      String type = rf.path("type").asText("");
      switch (type) {
        case "text" -> {}
        case "json_object" -> b.responseFormat(ResponseFormat.json());
        case "json_schema" -> {
          JsonNode js = rf.path("json_schema");
          if (!js.has("schema")) {
            throw bad("response_format.json_schema.schema is required");
          }
          b.responseFormat(ResponseFormat.schema(js.path("name").asText(null), js.get("schema")));
        }
        default -> throw bad("response_format type " + type + " is not supported");
      }
    }
    JsonNode effort = body.get("reasoning_effort");
    if (effort != null && !effort.isNull()) {
      b.think(thinking(effort.asText("")));
    }
    b.options(options(body));
    return b.build();
  }

  /** OpenAI's reasoning_effort as the neutral thinking level (its nearest, for minimal/xhigh). */
  private static Thinking thinking(String effort) {
    return switch (effort) {
      case "none" -> Thinking.OFF;
      case "minimal", "low" -> Thinking.level(Thinking.Level.LOW);
      case "medium" -> Thinking.level(Thinking.Level.MEDIUM);
      case "high" -> Thinking.level(Thinking.Level.HIGH);
      case "xhigh" -> Thinking.level(Thinking.Level.MAX);
      default ->
          throw bad(
              "reasoning_effort must be none, minimal, low, medium, high or xhigh, not " + effort);
    };
  }

  private static GenerationOptions options(JsonNode body) {
    GenerationOptions.Builder o = GenerationOptions.builder();
    if (body.hasNonNull("temperature")) {
      o.temperature(body.get("temperature").asDouble());
    }
    if (body.hasNonNull("top_p")) {
      o.topP(body.get("top_p").asDouble());
    }
    JsonNode max =
        body.hasNonNull("max_completion_tokens")
            ? body.get("max_completion_tokens")
            : body.get("max_tokens");
    if (max != null && !max.isNull()) {
      o.maxTokens(max.asInt());
    }
    if (body.hasNonNull("stop")) {
      o.stop(strings(body.get("stop"), "stop"));
    }
    if (body.hasNonNull("seed")) {
      o.seed(body.get("seed").asLong());
    }
    return o.build();
  }

  private static ChatMessage message(JsonNode m, Map<String, String> toolNames) {
    String role = m.path("role").asText("");
    JsonNode content = m.get("content");
    return switch (role) {
      case "system", "developer" -> ChatMessage.system(plainText(content));
      case "user" -> {
        List<ImageData> images = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        if (content != null && content.isArray()) {
          for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (type.equals("text")) {
              text.append(part.path("text").asText(""));
            } else if (type.equals("image_url")) {
              JsonNode u = part.path("image_url");
              String url = u.isTextual() ? u.asText() : u.path("url").asText("");
              if (!url.startsWith("data:")) {
                throw bad("image_url must be a data: URL; the gateway does not fetch images");
              }
              images.add(ImageData.of(url));
            } else {
              throw bad("content part type " + type + " is not supported");
            }
          }
        } else {
          text.append(plainText(content));
        }
        yield images.isEmpty()
            ? ChatMessage.user(text.toString())
            : ChatMessage.user(text.toString(), images);
      }
      case "assistant" -> {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : m.path("tool_calls")) {
          JsonNode f = c.path("function");
          String name = text(f, "name", true);
          String id = c.path("id").asText(null);
          if (id != null) {
            toolNames.put(id, name);
          }
          calls.add(new ToolCall(id, name, arguments(f.path("arguments").asText("{}"))));
        }
        String text = content == null || content.isNull() ? "" : plainText(content);
        yield calls.isEmpty() ? ChatMessage.assistant(text) : ChatMessage.assistant(text, calls);
      }
      case "tool" -> {
        String id = m.path("tool_call_id").asText(null);
        yield ChatMessage.toolResult(id, toolNames.get(id), plainText(content));
      }
      default -> throw bad("unknown message role " + role);
    };
  }

  private static Map<String, Object> arguments(String json) {
    try {
      return json.isBlank()
          ? Map.of()
          : Bodies.JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw bad("tool call arguments must be a JSON object string");
    }
  }

  /** A string content, or an array of text parts (system, assistant and tool messages). */
  private static String plainText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode p : content) {
        if (!p.path("type").asText("").equals("text")) {
          throw bad("only text content parts are supported here");
        }
        sb.append(p.path("text").asText(""));
      }
      return sb.toString();
    }
    throw bad("content must be a string or an array of parts");
  }

  static String text(JsonNode o, String field, boolean required) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      if (required) {
        throw bad(field + " is required and must be a string");
      }
      return null;
    }
    return v.asText();
  }

  static List<String> strings(JsonNode v, String field) {
    if (v != null && v.isTextual()) {
      return List.of(v.asText());
    }
    if (v != null && v.isArray()) {
      List<String> out = new ArrayList<>();
      for (JsonNode s : v) {
        if (!s.isTextual()) {
          throw bad(field + " must be a string or a list of strings");
        }
        out.add(s.asText());
      }
      return out;
    }
    throw bad(field + " must be a string or a list of strings");
  }

  static BadRequestException bad(String message) {
    return new BadRequestException(message, ErrorContext.NONE);
  }
}
