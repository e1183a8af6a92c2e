package core.llm.providers.ollama;

import com.fasterxml.jackson.core.JsonParser;
import core.llm.common.InvalidResponseException;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.Logprob;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.spi.LineDecoder;
import core.llm.providers.spi.StreamAggregator;
import java.io.IOException;
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
    return new ChatAggregator();
  }

  /**
   * The decoder and aggregator of a chat stream that only its folded reply is wanted of (the
   * provider's non-streamed chat, streamed underneath so the idle timeout watches the generation).
   */
  static ChatFold chatFold(LineDecoder<ChatResponse> full, int maxResultSize) {
    return new ChatFold(full, maxResultSize);
  }

  private static class ChatAggregator implements StreamAggregator<ChatResponse, ChatResponse> {
    final StringBuilder content = new StringBuilder();
    final StringBuilder thinking = new StringBuilder();
    private final List<MessageToolCall> toolCalls = new ArrayList<>();
    private final List<Logprob> logprobs = new ArrayList<>();
    ChatResponse last;

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
  }

  /**
   * Folds a chat stream at the wire level. A plain token line ({@link NdjsonDecoder.PlainChatLine}:
   * all but the last line of most replies) has its text appended straight from the parser's buffer:
   * no record, no string, no parser per line. Every other line (the first, which names the model
   * for a partial reply; the final one; tool calls, logprobs, errors, unknown keys, anything
   * malformed) goes through the full decoder and is folded exactly as {@link #chat()} folds it, so
   * the reply is the same as the streamed path's.
   *
   * <p>Lines folded here are not emitted, so the decoder's messages count them through {@link
   * Counted}, and the result cap is checked here over every line.
   */
  static final class ChatFold extends ChatAggregator implements LineDecoder<ChatResponse> {
    private final LineDecoder<ChatResponse> full;
    private final int maxResultSize;
    private int foldedLines;
    private long lineBytes;
    private Counted counted;
    private int contentMark;
    private int thinkingMark;

    /** Appends a plain line's text straight from the parser's buffer; rewinds a line not plain. */
    private final NdjsonDecoder.PlainChatLine plain =
        new NdjsonDecoder.PlainChatLine() {
          @Override
          void begin() {
            contentMark = content.length();
            thinkingMark = thinking.length();
          }

          @Override
          void text(int field, JsonParser parser) throws IOException {
            StringBuilder into = field == CONTENT ? content : field == THINKING ? thinking : null;
            if (into != null) {
              into.append(
                  parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            }
          }

          @Override
          void discard() {
            content.setLength(contentMark);
            thinking.setLength(thinkingMark);
          }
        };

    private ChatFold(LineDecoder<ChatResponse> full, int maxResultSize) {
      this.full = full;
      this.maxResultSize = maxResultSize;
    }

    @Override
    public void line(byte[] bytes, int offset, int length, Sink<ChatResponse> sink) {
      lineBytes += length;
      if (lineBytes > maxResultSize) {
        sink.fail(
            new InvalidResponseException(
                "The streamed reply of "
                    + sink.errorContext().endpoint()
                    + " is larger than "
                    + maxResultSize
                    + " bytes; raise maxResultSize if such replies are expected",
                sink.errorContext()));
        return;
      }
      if (last != null && plain.scan(bytes, offset, length)) {
        foldedLines++;
        return;
      }
      full.line(bytes, offset, length, counted(sink));
    }

    @Override
    public void end(Sink<ChatResponse> sink) {
      full.end(counted(sink));
    }

    private Sink<ChatResponse> counted(Sink<ChatResponse> sink) {
      if (counted == null || counted.to != sink) {
        counted = new Counted(sink);
      }
      return counted;
    }

    /** The real sink, with the folded lines counted in {@link Sink#emitted()} for messages. */
    private final class Counted implements Sink<ChatResponse> {
      private final Sink<ChatResponse> to;

      Counted(Sink<ChatResponse> to) {
        this.to = to;
      }

      @Override
      public void emit(ChatResponse chunk) {
        to.emit(chunk);
      }

      @Override
      public void complete() {
        to.complete();
      }

      @Override
      public void fail(Throwable error) {
        to.fail(error);
      }

      @Override
      public void incomplete(String message) {
        to.incomplete(message);
      }

      @Override
      public int emitted() {
        return to.emitted() + foldedLines;
      }

      @Override
      public core.llm.common.ErrorContext errorContext() {
        return to.errorContext();
      }
    }
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
