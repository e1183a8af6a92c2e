package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the router does with a chat whose prompt does not fit the context window it would run in
 * ({@code routing.contextFit}). Ollama does not refuse an over-long prompt: it drops the oldest
 * messages, or cuts the prompt to about half the window, without a word. Checking costs a token
 * count per request (and, for Ollama, one {@code /api/show} per model), so it is off by default.
 */
public enum ContextFit {
  /** No count, no check: the server decides (Ollama truncates). */
  OFF,
  /** Fail with {@link core.llm.common.ContextTooLongException}, naming both numbers. */
  FAIL,
  /**
   * Send the request with a larger {@code num_ctx}, up to the model's own limit; past that limit,
   * as {@link #FALLBACK}.
   */
  RAISE,
  /**
   * Send the request to the first model of {@code routing.contextWindowFallbacks} for the model
   * whose window fits (LiteLLM's {@code context_window_fallbacks}); fail when none does.
   */
  FALLBACK;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive; null for an unknown value. */
  @JsonCreator
  public static ContextFit parse(String value) {
    if (value == null) {
      return null;
    }
    for (ContextFit f : values()) {
      if (f.value().equalsIgnoreCase(value.trim())) {
        return f;
      }
    }
    return null;
  }
}
