package core.llm.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.CompletionDelta;
import core.llm.common.FinishReason;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import core.llm.providers.spi.CompletionAccumulator;
import core.llm.providers.spi.LineDecoder;
import core.llm.providers.spi.SseDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Chat Completions SSE events into {@link CompletionDelta}s. Content, reasoning ({@code
 * reasoning_content} on vLLM/llama.cpp/DeepSeek, {@code reasoning} on Ollama's /v1) and tool-call
 * fragments are emitted as they come. The finish reason and the usage arrive in different chunks
 * (usage last, with empty choices, when {@code include_usage} is on), so both are held and sent in
 * one final delta at {@code [DONE]}, which keeps "the last delta carries finish reason and usage"
 * true for every server.
 */
final class OpenAiStreamHandler implements SseDecoder.EventHandler<CompletionDelta> {
  private final CompletionAccumulator accumulator;
  private final OpenAiErrors errors;
  private FinishReason finishReason;
  private Usage usage;
  private boolean sawToolCalls;

  OpenAiStreamHandler(CompletionAccumulator accumulator, OpenAiErrors errors) {
    this.accumulator = accumulator;
    this.errors = errors;
  }

  @Override
  public void event(String event, String data, LineDecoder.Sink<CompletionDelta> sink) {
    if ("[DONE]".equals(data.trim())) {
      done(sink);
      return;
    }
    JsonNode root;
    try {
      root = OpenAiJson.MAPPER.readTree(data);
    } catch (Exception e) {
      sink.fail(
          new InvalidResponseException(
              "The stream of "
                  + sink.errorContext().endpoint()
                  + " sent an event that is not JSON: \""
                  + (data.length() > 120 ? data.substring(0, 120) + "..." : data)
                  + "\"",
              sink.errorContext(),
              e));
      return;
    }
    if (root == null || !root.isObject()) {
      return;
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull() || "error".equals(event)) {
      sink.fail(
          errors.streamError(error != null ? error : root, sink.emitted(), sink.errorContext()));
      return;
    }
    accumulator.model(OpenAiWire.text(root.get("model")));
    Usage u = OpenAiWire.usage(root.get("usage"));
    if (u != null) {
      usage = u;
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      return;
    }
    JsonNode choice = choices.get(0);
    JsonNode delta = choice.path("delta");
    String content = OpenAiWire.content(delta.get("content"));
    String thinking = OpenAiWire.text(delta.get("reasoning_content"));
    if (thinking == null) {
      thinking = OpenAiWire.text(delta.get("reasoning"));
    }
    List<ToolCallDelta> calls = toolCalls(delta.get("tool_calls"));
    FinishReason finish = OpenAiWire.finishReason(OpenAiWire.text(choice.get("finish_reason")));
    if (finish != null) {
      finishReason = finish;
    }
    if (!content.isEmpty() || (thinking != null && !thinking.isEmpty()) || !calls.isEmpty()) {
      sink.emit(new CompletionDelta(content, thinking, calls, null, null));
    }
  }

  private List<ToolCallDelta> toolCalls(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      return List.of();
    }
    sawToolCalls = true;
    List<ToolCallDelta> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode tc = node.get(i);
      JsonNode fn = tc.path("function");
      JsonNode args = fn.get("arguments");
      String fragment =
          args == null || args.isNull() ? null : args.isTextual() ? args.asText() : args.toString();
      out.add(
          new ToolCallDelta(
              tc.path("index").asInt(i),
              OpenAiWire.text(tc.get("id")),
              OpenAiWire.text(fn.get("name")),
              fragment));
    }
    return out;
  }

  private void done(LineDecoder.Sink<CompletionDelta> sink) {
    try {
      accumulator.toolCalls(); // malformed arguments fail the stream instead of completing it
    } catch (LlmException e) {
      sink.fail(e);
      return;
    }
    FinishReason finish =
        finishReason != null
            ? finishReason
            : sawToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    sink.emit(
        new CompletionDelta("", "", List.of(), finish, usage == null ? Usage.UNKNOWN : usage));
    sink.complete();
  }

  @Override
  public void end(LineDecoder.Sink<CompletionDelta> sink) {
    sink.incomplete(
        "The stream of "
            + sink.errorContext().endpoint()
            + " ended after "
            + sink.emitted()
            + " chunk(s) without data: [DONE]; the reply is incomplete (the server stopped early"
            + " or a proxy cut the connection)");
  }
}
