package core.llm.providers.base;

/**
 * A streamed reply format a caller can relay without decoding it: what {@link
 * LlmProvider#relayStream} is asked for. A provider whose server writes the format hands over the
 * server's own bytes; any other provider hands over neutral deltas for the caller to encode.
 */
public enum WireFormat {
  /**
   * Ollama's {@code /api/chat} stream: NDJSON, one {@code ChatResponse} object per line, the last
   * with {@code done: true} and the metrics.
   */
  OLLAMA_CHAT
}
