package core.llm.common;

import java.util.List;
import java.util.Optional;

/**
 * The stream ended (the server closed it cleanly, or the connection dropped) without its end
 * marker: Ollama's {@code done:true} or {@code status:"success"}, OpenAI's {@code [DONE]},
 * Anthropic's {@code message_stop}. What arrived is kept: {@link #partialResult()} folds every
 * chunk (the text so far), {@link #received()} holds the last chunks themselves.
 */
public class IncompleteStreamException extends LlmException {
  /**
   * How many of the last chunks {@link #received()} keeps, so a long stream holds bounded memory.
   */
  public static final int KEPT_CHUNKS = 64;

  private final transient List<?> received;
  private final transient Object partialResult;
  private final int chunkCount;

  public IncompleteStreamException(String message, List<?> received, ErrorContext context) {
    this(message, received, received.size(), null, context);
  }

  public IncompleteStreamException(
      String message,
      List<?> received,
      int chunkCount,
      Object partialResult,
      ErrorContext context) {
    super(ErrorKind.INCOMPLETE_STREAM, message, context, null);
    this.received = List.copyOf(received);
    this.chunkCount = chunkCount;
    this.partialResult = partialResult;
  }

  /**
   * The last chunks that arrived before the stream ended (at most {@value #KEPT_CHUNKS}), in order.
   */
  public List<?> received() {
    return received;
  }

  /** How many chunks arrived in all. */
  public int chunkCount() {
    return chunkCount;
  }

  /**
   * Everything that arrived, folded as the complete result would have been (for a chat: the content
   * and tool calls so far), when the stream had an aggregator and at least one chunk.
   */
  public Optional<Object> partialResult() {
    return Optional.ofNullable(partialResult);
  }
}
