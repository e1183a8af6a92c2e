package core.llm.common;

/** What a provider can do; routing and callers check these before sending a request. */
public enum Capability {
  CHAT,
  STREAMING,
  EMBEDDINGS,
  TOOLS,
  VISION,
  STRUCTURED_OUTPUT,
  THINKING,
  /** Load, unload and track models (Ollama). */
  MODEL_LIFECYCLE
}
