package core.llm.gateway;

import core.llm.common.LlmException;
import core.llm.common.Usage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per request, at INFO on logger {@code core.llm.gateway.requests}: method, path,
 * status, API, model, provider, the key's name (never the key), stream or not, time to first chunk,
 * duration, tokens and, for a failure, its kind. Turn it off with that logger's level.
 */
final class RequestLogLine implements ExchangeListener {
  static final Logger LOG = Logger.getLogger("core.llm.gateway.requests");

  @Override
  public void requestEnded(RequestNotes n, int status) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    LOG.info(line(n, status, System.nanoTime()));
  }

  static String line(RequestNotes n, int status, long nowNanos) {
    StringBuilder b = new StringBuilder(160);
    b.append(n.method).append(' ').append(clean(n.path)).append(' ').append(status);
    if (n.clientGone) {
      b.append(" client-gone");
    }
    b.append(" api=").append(n.api);
    if (n.model != null) {
      b.append(" model=").append(clean(n.model));
    }
    if (n.provider != null) {
      b.append(" provider=").append(n.provider);
    }
    if (n.caller != null) {
      b.append(" key=").append(n.caller.keyName());
    }
    if (n.stream) {
      b.append(" stream");
    }
    if (n.firstChunkNanos > 0) {
      b.append(" first=").append(millis(n.firstChunkNanos)).append("ms");
    }
    b.append(" took=").append(millis(nowNanos - n.startNanos)).append("ms");
    Usage u = n.usage;
    if (u != null) {
      b.append(" in=").append(u.promptTokens()).append(" out=").append(u.completionTokens());
    }
    if (n.failure != null) {
      b.append(" error=")
          .append(
              n.failure instanceof LlmException e
                  ? e.kind().name()
                  : n.failure.getClass().getSimpleName());
    }
    return b.toString();
  }

  /** What a caller chose (path, model): printable, no spaces, bounded, so it cannot forge lines. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 120));
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      char c = s.charAt(i);
      b.append(c > ' ' && c != 0x7f ? c : '_');
    }
    if (s.length() > 120) {
      b.append("...");
    }
    return b.toString();
  }

  /** Milliseconds with one decimal, rounded: a line per request, so no {@link String#format}. */
  static String millis(long nanos) {
    long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
    return (tenths / 10) + "." + (tenths % 10);
  }
}
