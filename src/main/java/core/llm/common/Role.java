package core.llm.common;

/** Who speaks a message, in every provider's vocabulary. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  /** The lower-case wire name used by Ollama, OpenAI and Anthropic. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
