package core.llm.common;

import java.util.List;

/**
 * One chunk of a streamed reply. The last chunk of a stream carries the finish reason and usage.
 *
 * @param content new text (may be empty)
 * @param thinking new reasoning text (may be empty)
 * @param toolCalls tool-call fragments in this chunk (empty: none)
 * @param finishReason set on the last chunk only
 * @param usage set on the last chunk only, when the provider reports it
 */
public record CompletionDelta(
    String content,
    String thinking,
    List<ToolCallDelta> toolCalls,
    FinishReason finishReason,
    Usage usage) {

  public CompletionDelta {
    content = content == null ? "" : content;
    thinking = thinking == null ? "" : thinking;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static CompletionDelta text(String content) {
    return new CompletionDelta(content, null, null, null, null);
  }

  public boolean isLast() {
    return finishReason != null;
  }
}
