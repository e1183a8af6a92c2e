package core.llm.common;

import java.util.List;

/**
 * The stream ended (the server closed it cleanly) without its end marker: Ollama's {@code done:true}
 * or {@code status:"success"}, OpenAI's {@code [DONE]}, Anthropic's {@code message_stop}. What was
 * received before the end is kept in {@link #received()}.
 */
public class IncompleteStreamException extends LlmException {
  private final transient List<?> received;

  public IncompleteStreamException(String message, List<?> received, ErrorContext context) {
    super(ErrorKind.INCOMPLETE_STREAM, message, context, null);
    this.received = List.copyOf(received);
  }

  /** The chunks that arrived before the stream ended, in order. */
  public List<?> received() {
    return received;
  }
}
