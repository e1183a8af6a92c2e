package core.llm.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.FinishReason;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.Role;
import core.llm.common.Thinking;
import core.llm.common.ToolCallDelta;
import core.llm.common.ToolDefinition;
import core.llm.common.Usage;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Format;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.Think;
import core.llm.providers.ollama.models.Tool;
import core.llm.providers.ollama.models.ToolCallFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Between the provider-neutral types and Ollama's wire records. */
final class OllamaConversions {
  /** Provider options that are request fields in Ollama, not {@code options} keys. */
  private static final List<String> REQUEST_FIELDS =
      List.of("keep_alive", "truncate", "shift", "logprobs", "top_logprobs");

  private OllamaConversions() {}

  static ChatRequest chatRequest(CompletionRequest request) {
    return chatRequest(request, null);
  }

  /** With {@code stream} set (null: not sent, the server's default, which streams). */
  static ChatRequest chatRequest(CompletionRequest request, Boolean stream) {
    ChatRequest.Builder b = ChatRequest.builder(request.model()).stream(stream);
    // indexed: these are immutable lists, whose forEach goes through an iterator
    List<ChatMessage> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      b.message(message(messages.get(i)));
    }
    List<ToolDefinition> tools = request.tools();
    for (int i = 0; i < tools.size(); i++) {
      b.tool(tool(tools.get(i)));
    }
    GenerationOptions o = request.options();
    Options.Builder options =
        Options.builder()
            .temperature(o.temperature())
            .numPredict(o.maxTokens())
            .topP(o.topP())
            .seed(o.seed())
            .stop(o.stop());
    o.providerOptions()
        .forEach(
            (key, value) -> {
              if (!REQUEST_FIELDS.contains(key)) {
                options.extra(key, value);
              }
            });
    b.options(options.build());
    Map<String, Object> p = o.providerOptions();
    if (p.get("keep_alive") != null) {
      b.keepAlive(keepAlive(p.get("keep_alive")));
    }
    if (p.get("truncate") instanceof Boolean v) {
      b.truncate(v);
    }
    if (p.get("shift") instanceof Boolean v) {
      b.shift(v);
    }
    if (p.get("logprobs") instanceof Boolean v) {
      b.logprobs(v);
    }
    if (p.get("top_logprobs") instanceof Number v) {
      b.topLogprobs(v.intValue());
    }
    if (request.responseFormat() != null) {
      JsonNode schema = request.responseFormat().schema();
      b.format(schema == null ? Format.json() : Format.schema(schema));
    }
    if (request.think() != null) {
      b.think(think(request.think()));
    }
    return b.build();
  }

  /** Ollama's think is a boolean or a level; it has no token budget, so that is refused. */
  static Think think(Thinking value) {
    if (value instanceof Thinking.Off) {
      return Think.FALSE;
    }
    if (value instanceof Thinking.On) {
      return Think.TRUE;
    }
    if (value instanceof Thinking.Effort e) {
      return Think.level(e.level().wireName());
    }
    throw new IllegalArgumentException(
        "Ollama takes think as on, off or a level (low, medium, high, max), not a token budget ("
            + value
            + ")");
  }

  private static KeepAlive keepAlive(Object value) {
    if (value instanceof Duration d) {
      return KeepAlive.of(d);
    }
    if (value instanceof Number n) {
      // seconds, fractions included (§4.6): 0.5 must not be cut to 0, which unloads at once
      java.math.BigDecimal seconds = new java.math.BigDecimal(n.toString());
      return seconds.signum() == 0
          ? KeepAlive.UNLOAD
          : KeepAlive.parse(seconds.stripTrailingZeros().toPlainString());
    }
    return KeepAlive.parse(value.toString());
  }

  static Message message(ChatMessage m) {
    Message.Builder b = Message.builder(m.role().wireName()).content(m.content());
    if (m.thinking() != null) {
      b.thinking(m.thinking());
    }
    for (ImageData image : m.images()) {
      b.image(image.base64());
    }
    int index = 0;
    for (core.llm.common.ToolCall call : m.toolCalls()) {
      b.toolCall(
          new MessageToolCall(
              call.id(), new ToolCallFunction(index++, call.name(), call.arguments())));
    }
    if (m.toolName() != null) {
      b.toolName(m.toolName());
    }
    if (m.toolCallId() != null) {
      b.toolCallId(m.toolCallId());
    }
    return b.build();
  }

  static Tool tool(ToolDefinition t) {
    return Tool.function(t.name(), t.description(), t.parameters());
  }

  static CompletionDelta delta(ChatResponse chunk) {
    Message m = chunk.message();
    List<ToolCallDelta> calls = List.of(); // most chunks are text: no list per chunk for them
    if (m != null && m.toolCalls() != null && !m.toolCalls().isEmpty()) {
      calls = new ArrayList<>();
      for (MessageToolCall call : m.toolCalls()) {
        ToolCallFunction f = call.function();
        calls.add(
            new ToolCallDelta(
                f.index() == null ? calls.size() : f.index(),
                call.id(),
                f.name(),
                json(f.arguments())));
      }
    }
    boolean done = Boolean.TRUE.equals(chunk.done());
    return new CompletionDelta(
        m == null ? "" : m.content(),
        m == null ? "" : m.thinking(),
        calls,
        done ? finishReason(chunk) : null,
        done ? usage(chunk) : null);
  }

  static CompletionResult result(String provider, ChatResponse response) {
    // a relayed stream's result is its final line alone, which a server may write without message
    Message m =
        response.message() != null
            ? response.message()
            : new Message("assistant", "", null, null, null, null, null, null);
    List<core.llm.common.ToolCall> calls = new ArrayList<>();
    if (m.toolCalls() != null) {
      for (MessageToolCall call : m.toolCalls()) {
        calls.add(
            new core.llm.common.ToolCall(
                call.id(), call.function().name(), call.function().arguments()));
      }
    }
    ChatMessage message =
        new ChatMessage(Role.ASSISTANT, m.content(), m.thinking(), null, null, calls, null, null);
    return new CompletionResult(
        provider, response.model(), message, finishReason(response), usage(response));
  }

  static FinishReason finishReason(ChatResponse r) {
    boolean tools =
        r.message() != null
            && r.message().toolCalls() != null
            && !r.message().toolCalls().isEmpty();
    String reason = r.doneReason();
    if ("length".equals(reason)) {
      return FinishReason.LENGTH;
    }
    if (tools) {
      return FinishReason.TOOL_CALLS;
    }
    return reason == null || "stop".equals(reason) ? FinishReason.STOP : FinishReason.OTHER;
  }

  static Usage usage(ChatResponse r) {
    return new Usage(
        r.promptEvalCount(),
        r.evalCount(),
        nanos(r.totalDuration()),
        nanos(r.loadDuration()),
        nanos(r.promptEvalDuration()),
        nanos(r.evalDuration()));
  }

  private static Duration nanos(Long value) {
    return value == null ? null : Duration.ofNanos(value);
  }

  private static String json(Map<String, Object> arguments) {
    try {
      return OllamaJson.MAPPER.writeValueAsString(arguments == null ? Map.of() : arguments);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
