package core.llm.providers.ollama;

import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.Logprob;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.spi.StreamAggregator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds streams into what the non-streamed call would return (§3.1, §3.2 of the reference): text
 * and thinking concatenated, tool calls and logprobs gathered from every chunk including the final
 * one, everything else from the final chunk.
 */
final class Aggregators {
  private Aggregators() {}

  static StreamAggregator<ChatResponse, ChatResponse> chat() {
    return new StreamAggregator<>() {
      private final StringBuilder content = new StringBuilder();
      private final StringBuilder thinking = new StringBuilder();
      private final List<MessageToolCall> toolCalls = new ArrayList<>();
      private final List<Logprob> logprobs = new ArrayList<>();
      private ChatResponse last;

      @Override
      public void accept(ChatResponse chunk) {
        Message m = chunk.message();
        if (m != null) {
          append(content, m.content());
          append(thinking, m.thinking());
          addAll(toolCalls, m.toolCalls());
        }
        addAll(logprobs, chunk.logprobs());
        last = chunk;
      }

      @Override
      public ChatResponse result() {
        Message m = last.message();
        Message merged =
            new Message(
                m == null || m.role() == null ? "assistant" : m.role(),
                content.toString(),
                thinking.length() == 0 ? null : thinking.toString(),
                m == null ? null : m.images(),
                toolCalls.isEmpty() ? null : List.copyOf(toolCalls),
                m == null ? null : m.toolName(),
                m == null ? null : m.toolCallId(),
                m == null ? null : m.extra());
        return new ChatResponse(
            last.model(),
            last.createdAt(),
            merged,
            last.done(),
            last.doneReason(),
            last.totalDuration(),
            last.loadDuration(),
            last.promptEvalCount(),
            last.promptEvalDuration(),
            last.evalCount(),
            last.evalDuration(),
            logprobs.isEmpty() ? null : List.copyOf(logprobs),
            last.remoteModel(),
            last.remoteHost(),
            last.debugInfo(),
            last.extra());
      }
    };
  }

  static StreamAggregator<GenerateResponse, GenerateResponse> generate() {
    return new StreamAggregator<>() {
      private final StringBuilder response = new StringBuilder();
      private final StringBuilder thinking = new StringBuilder();
      private final List<MessageToolCall> toolCalls = new ArrayList<>();
      private final List<Logprob> logprobs = new ArrayList<>();
      private GenerateResponse last;

      @Override
      public void accept(GenerateResponse chunk) {
        append(response, chunk.response());
        append(thinking, chunk.thinking());
        addAll(toolCalls, chunk.toolCalls());
        addAll(logprobs, chunk.logprobs());
        last = chunk;
      }

      @Override
      public GenerateResponse result() {
        return new GenerateResponse(
            last.model(),
            last.createdAt(),
            response.toString(),
            thinking.length() == 0 ? null : thinking.toString(),
            last.done(),
            last.doneReason(),
            last.context(),
            last.totalDuration(),
            last.loadDuration(),
            last.promptEvalCount(),
            last.promptEvalDuration(),
            last.evalCount(),
            last.evalDuration(),
            toolCalls.isEmpty() ? null : List.copyOf(toolCalls),
            logprobs.isEmpty() ? null : List.copyOf(logprobs),
            last.remoteModel(),
            last.remoteHost(),
            last.debugInfo(),
            last.extra());
      }
    };
  }

  static StreamAggregator<ProgressResponse, ProgressSummary> progress() {
    return new StreamAggregator<>() {
      private final Map<String, ProgressSummary.Layer> layers = new LinkedHashMap<>();
      private String status;
      private int lines;

      @Override
      public void accept(ProgressResponse chunk) {
        lines++;
        status = chunk.status();
        if (chunk.digest() != null && (chunk.total() != null || chunk.completed() != null)) {
          ProgressSummary.Layer before = layers.get(chunk.digest());
          long total = chunk.total() != null ? chunk.total() : before == null ? 0 : before.total();
          long completed = chunk.completed() != null ? chunk.completed() : 0;
          layers.put(chunk.digest(), new ProgressSummary.Layer(total, completed));
        }
      }

      @Override
      public boolean accumulates() {
        return false; // one entry per layer, however many progress lines arrive
      }

      @Override
      public ProgressSummary result() {
        return new ProgressSummary(
            status, Collections.unmodifiableMap(new LinkedHashMap<>(layers)), lines);
      }
    };
  }

  private static void append(StringBuilder into, String piece) {
    if (piece != null) {
      into.append(piece);
    }
  }

  private static <T> void addAll(List<T> into, List<T> items) {
    if (items != null) {
      into.addAll(items);
    }
  }
}
