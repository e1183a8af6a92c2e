package core.llm.common;

import java.time.Duration;

/**
 * Tokens used by one request, and the provider's own timings where it reports them (Ollama does;
 * others leave them null). Counts a provider did not report are null, never a made-up zero.
 */
public record Usage(
    Integer promptTokens,
    Integer completionTokens,
    Duration totalDuration,
    Duration loadDuration,
    Duration promptEvalDuration,
    Duration evalDuration) {

  public static final Usage UNKNOWN = new Usage(null, null, null, null, null, null);

  public static Usage of(Integer promptTokens, Integer completionTokens) {
    return new Usage(promptTokens, completionTokens, null, null, null, null);
  }

  /** Prompt plus completion tokens; null when neither is known. */
  public Integer totalTokens() {
    if (promptTokens == null && completionTokens == null) {
      return null;
    }
    return (promptTokens == null ? 0 : promptTokens)
        + (completionTokens == null ? 0 : completionTokens);
  }

  /** Generated tokens per second from the provider's eval timing, when it gave one. */
  public Double tokensPerSecond() {
    if (completionTokens == null || evalDuration == null || evalDuration.isZero()) {
      return null;
    }
    return completionTokens * 1e9 / evalDuration.toNanos();
  }
}
