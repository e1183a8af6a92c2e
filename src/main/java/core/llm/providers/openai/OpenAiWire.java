package core.llm.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.ErrorContext;
import core.llm.common.FinishReason;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.InvalidResponseException;
import core.llm.common.ModelInfo;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import core.llm.common.Usage;
import core.llm.providers.base.JsonSchemas;
import core.llm.providers.spi.CompletionAccumulator;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chat Completions, Embeddings and Models wire format, built as JSON trees: trees make merging
 * {@code providerOptions} as top-level fields trivial, and tolerate the small differences between
 * OpenAI, vLLM, llama.cpp, LM Studio and Ollama's /v1.
 */
final class OpenAiWire {
  private OpenAiWire() {}

  /**
   * The {@code /chat/completions} body. Uses {@code max_tokens} rather than {@code
   * max_completion_tokens}: every compatible server accepts it, while only OpenAI knows the newer
   * name (pass {@code max_completion_tokens} as a provider option for OpenAI's reasoning models).
   * Provider options are merged last, so they can override any field.
   */
  static Buffer chatBody(CompletionRequest request, boolean stream) {
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : request.messages()) {
      messages.add(message(m));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : request.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name());
        if (t.description() != null) {
          fn.put("description", t.description());
        }
        fn.set("parameters", t.parameters());
      }
    }
    GenerationOptions o = request.options();
    if (o.temperature() != null) {
      body.put("temperature", o.temperature());
    }
    if (o.maxTokens() != null) {
      body.put("max_tokens", o.maxTokens());
    }
    if (o.topP() != null) {
      body.put("top_p", o.topP());
    }
    if (o.stop() != null && !o.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      o.stop().forEach(stop::add);
    }
    if (o.seed() != null) {
      body.put("seed", o.seed());
    }
    if (request.responseFormat() != null) {
      body.set("response_format", responseFormat(request.responseFormat()));
    }
    String effort = reasoningEffort(request.think());
    if (effort != null) {
      body.put("reasoning_effort", effort);
    }
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    for (Map.Entry<String, Object> e : o.providerOptions().entrySet()) {
      body.set(e.getKey(), OpenAiJson.MAPPER.valueToTree(e.getValue()));
    }
    return Buffer.buffer(body.toString());
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode node = OpenAiJson.MAPPER.createObjectNode();
    node.put("role", m.role().wireName());
    switch (m.role()) {
      case USER -> {
        if (m.images().isEmpty()) {
          node.put("content", m.content());
        } else {
          ArrayNode parts = node.putArray("content");
          if (!m.content().isEmpty()) {
            parts.addObject().put("type", "text").put("text", m.content());
          }
          for (ImageData image : m.images()) {
            parts
                .addObject()
                .put("type", "image_url")
                .putObject("image_url")
                .put("url", "data:" + image.mediaType() + ";base64," + image.base64());
          }
        }
      }
      case ASSISTANT -> {
        if (m.toolCalls().isEmpty() || !m.content().isEmpty()) {
          node.put("content", m.content());
        } else {
          node.putNull("content"); // OpenAI's own shape for a turn that only calls tools
        }
        if (!m.toolCalls().isEmpty()) {
          ArrayNode calls = node.putArray("tool_calls");
          for (ToolCall c : m.toolCalls()) {
            ObjectNode call = calls.addObject();
            if (c.id() != null) {
              call.put("id", c.id());
            }
            call.put("type", "function");
            ObjectNode fn = call.putObject("function");
            fn.put("name", c.name());
            // OpenAI sends and expects the arguments as a JSON *string*.
            fn.put("arguments", OpenAiJson.MAPPER.valueToTree(c.arguments()).toString());
          }
        }
      }
      case TOOL -> {
        if (m.toolCallId() != null) {
          node.put("tool_call_id", m.toolCallId());
        }
        node.put("content", m.content());
      }
      default -> node.put("content", m.content());
    }
    return node;
  }

  private static ObjectNode responseFormat(ResponseFormat format) {
    ObjectNode node = OpenAiJson.MAPPER.createObjectNode();
    if (format.schema() == null) {
      return node.put("type", "json_object");
    }
    node.put("type", "json_schema");
    ObjectNode js = node.putObject("json_schema");
    js.put("name", schemaName(format.name()));
    // Strict mode accepts a subset of JSON Schema and rejects anything else with a 400: the schema
    // goes strict when it translates into that subset with the same meaning (JsonSchemas
    // .openAiStrict: optional components as required nullable ones), otherwise as it is,
    // non-strict: the model is still asked for it, and the reply is still validated by parsing.
    Optional<ObjectNode> strict = JsonSchemas.openAiStrict(format.schema());
    js.set("schema", strict.isPresent() ? strict.get() : format.schema());
    js.put("strict", strict.isPresent());
    return node;
  }

  /** OpenAI requires {@code ^[a-zA-Z0-9_-]{1,64}$}. */
  private static String schemaName(String name) {
    String n = name == null || name.isBlank() ? "response" : name.replaceAll("[^a-zA-Z0-9_-]", "_");
    return n.length() > 64 ? n.substring(0, 64) : n;
  }

  /**
   * A think level maps to {@code reasoning_effort} ({@code max} to {@code high}); on, off and a
   * token budget leave the server's default.
   */
  private static String reasoningEffort(Thinking think) {
    if (!(think instanceof Thinking.Effort e)) {
      return null;
    }
    return switch (e.level()) {
      case LOW -> "low";
      case MEDIUM -> "medium";
      case HIGH, MAX -> "high";
    };
  }

  static FinishReason finishReason(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "stop", "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "length", "max_tokens" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return Usage.of(integer(usage.get("prompt_tokens")), integer(usage.get("completion_tokens")));
  }

  /** A non-streamed chat reply. */
  static CompletionResult chatResult(Buffer body, String provider, String model, ErrorContext ctx) {
    JsonNode root = parse(body, ctx);
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw invalid("a reply without choices", body, ctx);
    }
    JsonNode choice = choices.get(0);
    JsonNode msg = choice.path("message");
    CompletionAccumulator acc = new CompletionAccumulator(provider, model, ctx);
    acc.model(text(root.get("model")));
    String thinking = text(msg.get("reasoning_content"));
    if (thinking == null) {
      thinking = text(msg.get("reasoning"));
    }
    List<core.llm.common.ToolCallDelta> calls = new ArrayList<>();
    JsonNode toolCalls = msg.path("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonNode tc = toolCalls.get(i);
      JsonNode fn = tc.path("function");
      JsonNode args = fn.get("arguments");
      // Some servers send the arguments as an object instead of a string: accept both.
      String argsText =
          args == null || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString();
      calls.add(
          new core.llm.common.ToolCallDelta(i, text(tc.get("id")), text(fn.get("name")), argsText));
    }
    acc.accept(
        new core.llm.common.CompletionDelta(
            content(msg.get("content")),
            thinking,
            calls,
            finishReason(text(choice.get("finish_reason"))),
            usage(root.get("usage"))));
    return acc.result();
  }

  /** Content as a string, or as an array of text parts (some servers answer that way). */
  static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      content.forEach(part -> sb.append(part.path("text").asText("")));
      return sb.toString();
    }
    return content.asText();
  }

  static Buffer embeddingBody(EmbeddingRequest request) {
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    body.put("model", request.model());
    ArrayNode input = body.putArray("input");
    request.inputs().forEach(input::add);
    body.put("encoding_format", "float");
    if (request.dimensions() != null) {
      body.put("dimensions", request.dimensions());
    }
    return Buffer.buffer(body.toString());
  }

  /** Vectors in input order: the server's {@code data} is sorted by its {@code index}. */
  static EmbeddingResult embeddingResult(
      Buffer body, String provider, EmbeddingRequest request, ErrorContext ctx) {
    JsonNode root = parse(body, ctx);
    JsonNode data = root.path("data");
    int n = request.inputs().size();
    if (!data.isArray() || data.size() != n) {
      throw invalid(n + " embeddings (got " + data.size() + ")", body, ctx);
    }
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      JsonNode item = data.get(i);
      int index = item.path("index").asInt(i);
      JsonNode embedding = item.path("embedding");
      if (index < 0 || index >= n || vectors[index] != null || !embedding.isArray()) {
        throw invalid("one float array per input index", body, ctx);
      }
      float[] v = new float[embedding.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) embedding.get(j).asDouble();
      }
      vectors[index] = v;
    }
    String model = text(root.get("model"));
    Usage usage = usage(root.get("usage"));
    return new EmbeddingResult(
        provider,
        model == null ? request.model() : model,
        List.of(vectors),
        usage == null ? Usage.UNKNOWN : usage);
  }

  static List<ModelInfo> models(Buffer body, String provider, ErrorContext ctx) {
    JsonNode data = parse(body, ctx).path("data");
    if (!data.isArray()) {
      throw invalid("a model list", body, ctx);
    }
    List<ModelInfo> out = new ArrayList<>(data.size());
    data.forEach(m -> out.add(new ModelInfo(m.path("id").asText(), provider, null)));
    return out;
  }

  private static JsonNode parse(Buffer body, ErrorContext ctx) {
    try {
      JsonNode node = OpenAiJson.MAPPER.readTree(body.getBytes());
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not an object");
      }
      return node;
    } catch (Exception e) {
      throw invalid("a JSON object", body, ctx);
    }
  }

  private static InvalidResponseException invalid(String expected, Buffer body, ErrorContext ctx) {
    String text = body.toString();
    String quoted = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return new InvalidResponseException(
        "The reply of " + ctx.endpoint() + " is not " + expected + ": \"" + quoted + "\"", ctx);
  }

  static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static Integer integer(JsonNode node) {
    return node == null || !node.isNumber() ? null : node.asInt();
  }
}
