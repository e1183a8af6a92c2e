package core.llm.common;

/** Why a reply ended, mapped from each provider's own words. */
public enum FinishReason {
  /**
   * Natural end or a stop sequence (Ollama "stop", OpenAI "stop", Anthropic
   * "end_turn"/"stop_sequence").
   */
  STOP,
  /** The token limit was reached (Ollama/OpenAI "length", Anthropic "max_tokens"). */
  LENGTH,
  /** The model asked for tool calls (OpenAI "tool_calls", Anthropic "tool_use"). */
  TOOL_CALLS,
  /** A provider's content filter cut the reply. */
  CONTENT_FILTER,
  /** Anything else, including values added by providers later. */
  OTHER
}
