package core.llm.providers.base;

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

  /** No limit at all; start here and add limits with the {@code with...} methods. */
  public static final Timeouts NONE = new Timeouts(null, null, null, null);

  /** {@link #NONE}: {@code Timeouts.none().withFirstByte(Duration.ofMinutes(5))}. */
  public static Timeouts none() {
    return NONE;
  }

  public Timeouts withConnect(Duration value) {
    return new Timeouts(value, firstByte, idle, total);
  }

  public Timeouts withFirstByte(Duration value) {
    return new Timeouts(connect, value, idle, total);
  }

  public Timeouts withIdle(Duration value) {
    return new Timeouts(connect, firstByte, value, total);
  }

  public Timeouts withTotal(Duration value) {
    return new Timeouts(connect, firstByte, idle, value);
  }

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

  private static Duration pick(Duration preferred, Duration fallback) {
    return preferred != null ? preferred : fallback;
  }
}
