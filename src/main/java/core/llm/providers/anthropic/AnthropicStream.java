package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.FinishReason;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.Role;
import core.llm.common.ToolCall;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import core.llm.providers.spi.LineDecoder;
import core.llm.providers.spi.SseDecoder;
import core.llm.providers.spi.StreamAggregator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One streamed Messages reply: turns SSE events into deltas, and folds the deltas into the result.
 *
 * <p>Events: {@code message_start} (model, input tokens), {@code content_block_start} (a tool
 * call's id and name), {@code content_block_delta} ({@code text_delta}, {@code thinking_delta},
 * {@code input_json_delta}, {@code signature_delta}), {@code message_delta} (stop reason, output
 * tokens), {@code message_stop} (the end marker: the last delta, with finish reason and usage, is
 * emitted then), {@code ping} (ignored), {@code error} (fails the stream). Unknown events are
 * ignored, as the API reference asks.
 *
 * <p>Tool inputs arrive as JSON fragments cut anywhere; each is passed on as a {@link
 * ToolCallDelta} under the content block's index, and the result parses the joined text. In
 * structured mode the fragments of the {@code respond} tool are content text instead.
 */
final class AnthropicStream
    implements SseDecoder.EventHandler<CompletionDelta>,
        StreamAggregator<CompletionDelta, CompletionResult> {
  private final String provider;
  private final boolean structured;
  private final AnthropicErrors errors;

  // decoder state
  private String model;
  private Integer inputTokens;
  private Integer outputTokens;
  private String stopReason;
  private int structuredIndex = -1;

  // aggregate state, fed only by the deltas
  private final StringBuilder content = new StringBuilder();
  private final StringBuilder thinking = new StringBuilder();
  private final ThinkingSignature signature = new ThinkingSignature();
  private final Map<Integer, PartialCall> calls = new LinkedHashMap<>();
  private FinishReason finishReason;
  private Usage usage;
  private CompletionResult result;

  AnthropicStream(String provider, String model, boolean structured, AnthropicErrors errors) {
    this.provider = provider;
    this.model = model;
    this.structured = structured;
    this.errors = errors;
  }

  @Override
  public void event(String event, String data, LineDecoder.Sink<CompletionDelta> sink) {
    if ("ping".equals(event)) {
      return;
    }
    if ("error".equals(event)) {
      sink.fail(errors.streamError(data, sink.emitted(), sink.errorContext()));
      return;
    }
    JsonNode node;
    try {
      node = AnthropicRequests.JSON.readTree(data);
    } catch (Exception e) {
      sink.fail(
          new InvalidResponseException(
              "Anthropic sent an event that is not JSON in the stream of "
                  + sink.errorContext().endpoint()
                  + " ("
                  + event
                  + "): \""
                  + (data.length() > 120 ? data.substring(0, 120) + "..." : data)
                  + "\"",
              sink.errorContext(),
              e));
      return;
    }
    switch (event) {
      case "message_start" -> {
        JsonNode message = node.path("message");
        model = message.path("model").asText(model);
        inputTokens = AnthropicResponses.usage(message.path("usage"), null).promptTokens();
      }
      case "content_block_start" ->
          blockStart(node.path("index").asInt(), node.path("content_block"), sink);
      case "content_block_delta" ->
          blockDelta(node.path("index").asInt(), node.path("delta"), sink);
      case "message_delta" -> {
        JsonNode delta = node.path("delta");
        if (delta.hasNonNull("stop_reason")) {
          stopReason = delta.path("stop_reason").asText();
        }
        Usage u = AnthropicResponses.usage(node.path("usage"), inputTokens);
        inputTokens = u.promptTokens();
        if (u.completionTokens() != null) {
          outputTokens = u.completionTokens();
        }
      }
      case "message_stop" -> finish(sink);
      default -> {
        // content_block_stop carries nothing we need; newer events are ignored by design
      }
    }
  }

  private void blockStart(int index, JsonNode block, LineDecoder.Sink<CompletionDelta> sink) {
    signature.block(block);
    switch (block.path("type").asText()) {
      case "text" -> emitText(block.path("text").asText(""), sink);
      case "thinking" -> {
        emitThinking(block.path("thinking").asText(""), sink);
        signature.append(block.path("signature").asText(""));
      }
      case "tool_use" -> {
        String name = block.path("name").asText();
        if (structured && AnthropicProvider.STRUCTURED_TOOL.equals(name)) {
          structuredIndex = index;
        } else {
          ToolCallDelta call = new ToolCallDelta(index, block.path("id").asText(null), name, "");
          sink.emit(new CompletionDelta(null, null, List.of(call), null, null));
        }
      }
      default -> {
        // redacted_thinking and server-side tool blocks have no neutral form
      }
    }
  }

  private void blockDelta(int index, JsonNode delta, LineDecoder.Sink<CompletionDelta> sink) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> emitText(delta.path("text").asText(""), sink);
      case "thinking_delta" -> emitThinking(delta.path("thinking").asText(""), sink);
      case "input_json_delta" -> {
        String fragment = delta.path("partial_json").asText("");
        if (fragment.isEmpty()) {
          return;
        }
        if (index == structuredIndex) {
          emitText(fragment, sink);
        } else {
          ToolCallDelta call = new ToolCallDelta(index, null, null, fragment);
          sink.emit(new CompletionDelta(null, null, List.of(call), null, null));
        }
      }
      case "signature_delta" -> signature.append(delta.path("signature").asText(""));
      default -> {
        // newer delta types are ignored by design
      }
    }
  }

  private static void emitText(String text, LineDecoder.Sink<CompletionDelta> sink) {
    if (!text.isEmpty()) {
      sink.emit(CompletionDelta.text(text));
    }
  }

  private static void emitThinking(String text, LineDecoder.Sink<CompletionDelta> sink) {
    if (!text.isEmpty()) {
      sink.emit(new CompletionDelta(null, text, null, null, null));
    }
  }

  /** message_stop: the last delta, then the result is built before the stream completes. */
  private void finish(LineDecoder.Sink<CompletionDelta> sink) {
    FinishReason reason =
        structuredIndex >= 0 ? FinishReason.STOP : AnthropicResponses.finishReason(stopReason);
    sink.emit(new CompletionDelta(null, null, null, reason, Usage.of(inputTokens, outputTokens)));
    try {
      result = build(sink);
    } catch (LlmException e) {
      sink.fail(e); // a tool input that does not parse: the reply is not usable as a whole
      return;
    }
    sink.complete();
  }

  private CompletionResult build(LineDecoder.Sink<CompletionDelta> sink) {
    List<ToolCall> toolCalls = new ArrayList<>();
    for (PartialCall c : calls.values()) {
      toolCalls.add(
          new ToolCall(
              c.id,
              c.name == null ? "" : c.name,
              AnthropicResponses.toMap(c.arguments.toString(), c.name, sink.errorContext())));
    }
    ChatMessage message =
        new ChatMessage(
            Role.ASSISTANT,
            content.toString(),
            thinking.length() == 0 ? null : thinking.toString(),
            signature.value(),
            null,
            toolCalls,
            null,
            null);
    return new CompletionResult(provider, model, message, finishReason, usage);
  }

  @Override
  public void end(LineDecoder.Sink<CompletionDelta> sink) {
    sink.incomplete(
        "The stream of "
            + sink.errorContext().endpoint()
            + " ended after "
            + sink.emitted()
            + " chunk(s) without message_stop; the reply is incomplete (the server"
            + " stopped early or the connection dropped)");
  }

  // ---- aggregation ----

  @Override
  public void accept(CompletionDelta delta) {
    content.append(delta.content());
    thinking.append(delta.thinking());
    for (ToolCallDelta d : delta.toolCalls()) {
      PartialCall call = calls.computeIfAbsent(d.index(), i -> new PartialCall());
      if (d.id() != null) {
        call.id = d.id();
      }
      if (d.name() != null) {
        call.name = d.name();
      }
      if (d.argumentsFragment() != null) {
        call.arguments.append(d.argumentsFragment());
      }
    }
    if (delta.finishReason() != null) {
      finishReason = delta.finishReason();
    }
    if (delta.usage() != null) {
      usage = delta.usage();
    }
  }

  @Override
  public CompletionResult result() {
    return result;
  }

  private static final class PartialCall {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }
}
