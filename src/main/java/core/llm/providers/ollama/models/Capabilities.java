package core.llm.providers.ollama.models;

/**
 * Values of {@code capabilities} in /api/show and /api/tags (strings, so new ones pass through).
 */
public final class Capabilities {

  public static final String COMPLETION = "completion";
  public static final String TOOLS = "tools";
  public static final String INSERT = "insert";
  public static final String VISION = "vision";
  public static final String EMBEDDING = "embedding";
  public static final String THINKING = "thinking";

  /** Image generation, not image input (that is {@link #VISION}). */
  public static final String IMAGE = "image";

  public static final String AUDIO = "audio";

  private Capabilities() {}
}
