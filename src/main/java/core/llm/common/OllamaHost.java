package core.llm.common;

/** Placeholder until the OLLAMA_HOST parser lands (being written on the config branch). */
public final class OllamaHost {
  private OllamaHost() {}

  public static String parse(String value) {
    return value == null || value.isBlank() ? "http://127.0.0.1:11434" : value.trim();
  }
}
