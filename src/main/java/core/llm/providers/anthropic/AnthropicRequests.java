package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import core.llm.common.BadRequestException;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.Role;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the JSON bodies of {@code /v1/messages} and {@code /v1/messages/count_tokens}. */
final class AnthropicRequests {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Thinking budgets per level, in tokens; 1024 is the API's minimum. */
  /** The budget of {@link Thinking.On}. */
  static final int DEFAULT_THINKING_BUDGET = 4096;

  /** The API's smallest {@code budget_tokens}. */
  static final int MIN_THINKING_BUDGET = 1024;

  /** Fields the provider owns; providerOptions cannot replace them. */
  private static final Set<String> RESERVED = Set.of("model", "messages", "stream", "system");

  private final int defaultMaxTokens;

  AnthropicRequests(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  /** The body of a Messages request. Fails fast with a BadRequest on what the API would refuse. */
  ObjectNode messages(CompletionRequest request, boolean stream, ErrorContext ctx) {
    ObjectNode body = common(request, ctx);
    GenerationOptions o = request.options();
    Integer budget = thinkingBudget(request.think(), ctx);
    int maxTokens;
    if (o.maxTokens() != null) {
      maxTokens = o.maxTokens();
      if (budget != null && budget >= maxTokens) {
        throw new BadRequestException(
            "The thinking budget ("
                + budget
                + " tokens for think="
                + request.think()
                + ") must be below max tokens ("
                + maxTokens
                + "); raise maxTokens or lower think",
            ctx);
      }
    } else {
      // Keep the default room for the visible answer: thinking counts against max_tokens.
      maxTokens = defaultMaxTokens + (budget == null ? 0 : budget);
    }
    body.put("max_tokens", maxTokens);
    if (o.temperature() != null) {
      body.put("temperature", o.temperature());
    }
    if (o.topP() != null) {
      body.put("top_p", o.topP());
    }
    if (o.stop() != null && !o.stop().isEmpty()) {
      ArrayNode stops = body.putArray("stop_sequences");
      o.stop().forEach(stops::add);
    }
    // Anthropic has no seed; it is ignored rather than failing requests that set it by habit.
    if (stream) {
      body.put("stream", true);
    }
    for (Map.Entry<String, Object> e : o.providerOptions().entrySet()) {
      if (!RESERVED.contains(e.getKey())) {
        body.set(e.getKey(), JSON.valueToTree(e.getValue()));
      }
    }
    return body;
  }

  /** The body of count_tokens: what is counted, without generation settings. */
  ObjectNode countTokens(CompletionRequest request, ErrorContext ctx) {
    ObjectNode body = common(request, ctx);
    thinkingBudget(request.think(), ctx);
    return body;
  }

  private ObjectNode common(CompletionRequest request, ErrorContext ctx) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", request.model());
    StringBuilder system = new StringBuilder();
    for (ChatMessage m : request.messages()) {
      if (m.role() == Role.SYSTEM && !m.content().isEmpty()) {
        system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
      }
    }
    if (system.length() > 0) {
      body.put("system", system.toString());
    }
    body.set("messages", messages(request.messages()));
    ArrayNode tools = JSON.createArrayNode();
    for (ToolDefinition t : request.tools()) {
      ObjectNode tool = tools.addObject().put("name", t.name());
      if (t.description() != null) {
        tool.put("description", t.description());
      }
      tool.set("input_schema", t.parameters());
    }
    if (request.responseFormat() != null) {
      if (thinkingBudget(request.think(), ctx) != null) {
        throw new BadRequestException(
            "Anthropic cannot think while forced to use a tool, and structured output is a forced"
                + " tool here; drop think or the response format",
            ctx);
      }
      JsonNode schema = request.responseFormat().schema();
      if (schema != null && schema.has("type") && !"object".equals(schema.path("type").asText())) {
        throw new BadRequestException(
            "Anthropic structured output needs an object schema (it is a tool input), got type "
                + schema.path("type").asText()
                + "; wrap the value in a record",
            ctx);
      }
      ObjectNode tool =
          tools
              .addObject()
              .put("name", AnthropicProvider.STRUCTURED_TOOL)
              .put(
                  "description",
                  "Give the final answer as the input of this tool, matching its schema.");
      tool.set(
          "input_schema", schema == null ? JSON.createObjectNode().put("type", "object") : schema);
      body.putObject("tool_choice")
          .put("type", "tool")
          .put("name", AnthropicProvider.STRUCTURED_TOOL);
    }
    if (!tools.isEmpty()) {
      body.set("tools", tools);
    }
    Integer budget = thinkingBudget(request.think(), ctx);
    if (budget != null) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    return body;
  }

  private static ArrayNode messages(List<ChatMessage> all) {
    ArrayNode out = JSON.createArrayNode();
    // Ids made up for tool calls that came without one (the API requires them), in call order,
    // so that tool results without an id answer the oldest unanswered call.
    Deque<String> madeUp = new ArrayDeque<>();
    int counter = 0;
    ObjectNode toolResults = null;
    for (ChatMessage m : all) {
      if (m.role() == Role.SYSTEM) {
        continue;
      }
      if (m.role() == Role.TOOL) {
        if (toolResults == null) {
          toolResults = out.addObject().put("role", "user");
          toolResults.putArray("content");
        }
        String id = m.toolCallId() != null ? m.toolCallId() : madeUp.poll();
        ObjectNode block =
            ((ArrayNode) toolResults.get("content"))
                .addObject()
                .put("type", "tool_result")
                .put("tool_use_id", id);
        block.put("content", m.content());
        continue;
      }
      toolResults = null;
      ObjectNode msg = out.addObject().put("role", m.role() == Role.USER ? "user" : "assistant");
      ArrayNode content = msg.putArray("content");
      if (m.role() == Role.ASSISTANT && m.thinking() != null && m.thinkingSignature() != null) {
        // Signed thinking goes back first and unchanged; unsigned thinking (another provider's,
        // or edited) would be refused, so it is left out.
        content
            .addObject()
            .put("type", "thinking")
            .put("thinking", m.thinking())
            .put("signature", m.thinkingSignature());
      }
      for (ImageData image : m.images()) {
        ObjectNode source = content.addObject().put("type", "image").putObject("source");
        source
            .put("type", "base64")
            .put("media_type", image.mediaType())
            .put("data", image.base64());
      }
      if (!m.content().isEmpty()) {
        content.addObject().put("type", "text").put("text", m.content());
      }
      if (m.role() == Role.ASSISTANT) {
        for (ToolCall call : m.toolCalls()) {
          String id = call.id();
          if (id == null) {
            id = "toolu_core_" + (++counter);
            madeUp.add(id);
          }
          ObjectNode use = content.addObject().put("type", "tool_use").put("id", id);
          use.put("name", call.name());
          use.set("input", JSON.valueToTree(call.arguments()));
        }
      }
      if (content.isEmpty()) {
        // The API refuses empty content; an empty text says "nothing" without dropping the turn.
        content.addObject().put("type", "text").put("text", "");
      }
    }
    return out;
  }

  /**
   * The budget for a think value, or null for none; a budget below the API's minimum fails fast.
   */
  static Integer thinkingBudget(Thinking think, ErrorContext ctx) {
    if (think == null || think instanceof Thinking.Off) {
      return null;
    }
    if (think instanceof Thinking.On) {
      return DEFAULT_THINKING_BUDGET;
    }
    if (think instanceof Thinking.Effort e) {
      return switch (e.level()) {
        case LOW -> 1024;
        case MEDIUM -> 4096;
        case HIGH -> 16384;
        case MAX -> 32768;
      };
    }
    int tokens = ((Thinking.Budget) think).tokens();
    if (tokens < MIN_THINKING_BUDGET) {
      throw new BadRequestException(
          "A thinking budget of "
              + tokens
              + " tokens is too small for Anthropic: at least "
              + MIN_THINKING_BUDGET,
          ctx);
    }
    return tokens;
  }
}
