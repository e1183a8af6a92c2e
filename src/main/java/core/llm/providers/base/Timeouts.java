package core.llm.providers.base;

import core.llm.common.TimerDelays;
import java.time.Duration;

/**
 * The four limits of one HTTP exchange. A null or non-positive value means "no limit".
 *
 * @param connect opening the connection (TCP and TLS), including the wait for a pooled one
 * @param firstByte from sending until the response head arrives; for Ollama this covers a cold
 *     model load, and leaving early aborts that load on the server, so keep it generous
 * @param idle the longest silence between two body chunks while the consumer is reading
 * @param total the whole exchange
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

  public static final Timeouts NONE = new Timeouts(null, null, null, null);

  /** Values of {@code override} where set, else those of this. */
  public Timeouts overriddenBy(Timeouts override) {
    if (override == null) {
      return this;
    }
    return new Timeouts(
        pick(override.connect, connect),
        pick(override.firstByte, firstByte),
        pick(override.idle, idle),
        pick(override.total, total));
  }

  static long millis(Duration d) {
    return TimerDelays.millis(d); // clamped: a huge limit must not throw where its timer is armed
  }

  private static Duration pick(Duration preferred, Duration fallback) {
    return preferred != null ? preferred : fallback;
  }
}
