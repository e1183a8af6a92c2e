package core.llm.observability;

import core.llm.common.ErrorKind;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * One line per request through {@link System.Logger} (logger {@value #LOGGER}): JUL by default,
 * SLF4J or Log4j when the application installs their System.LoggerFinder bridge; no logging library
 * is a dependency. Successes and cancellations log at INFO, failures at WARNING, health probes and
 * model listings at DEBUG (a periodic probe would flood INFO).
 *
 * <pre>
 * llm request id=42 provider=ollama model=llama3.2 op=stream outcome=success status=0 latencyMs=812
 *     ttftMs=95 chunks=37 promptTokens=12 completionTokens=37 cost=0.000021
 * </pre>
 *
 * <p>Never written: options, error messages from servers, headers or keys. Prompt and reply text
 * only when {@link #logContent} is on, cut to {@link #maxContentChars}; the whole line then goes
 * through {@link Redactor} so a key pasted into a prompt is masked too.
 */
public final class RequestLog {
  /** Logger name. */
  public static final String LOGGER = "core.llm.requests";

  private final Logger logger;
  private final boolean logContent;
  private final int maxContentChars;

  /**
   * @param logContent include prompt and reply text; @param maxContentChars cut them to this length
   */
  public RequestLog(boolean logContent, int maxContentChars) {
    this(System.getLogger(LOGGER), logContent, maxContentChars);
  }

  RequestLog(Logger logger, boolean logContent, int maxContentChars) {
    this.logger = logger;
    this.logContent = logContent;
    this.maxContentChars = Math.max(0, maxContentChars);
  }

  public boolean logContent() {
    return logContent;
  }

  /**
   * Writes the line of a finished request; {@code prompt} and {@code reply} only if content logging
   * is on.
   */
  public void log(RequestSummary s, String prompt, String reply) {
    RequestContext c = s.context();
    Level level =
        !s.succeeded() && s.errorKind() != ErrorKind.CANCELLED
            ? Level.WARNING
            : c.operation() == Operation.HEALTH || c.operation() == Operation.LIST_MODELS
                ? Level.DEBUG
                : Level.INFO;
    if (!logger.isLoggable(level)) {
      return; // build nothing when nobody listens
    }
    StringBuilder b =
        new StringBuilder(160)
            .append("llm request id=")
            .append(c.id())
            .append(" provider=")
            .append(c.provider())
            .append(" model=")
            .append(c.model() == null ? "-" : c.model())
            .append(" op=")
            .append(c.operation().label())
            .append(" outcome=")
            .append(s.outcome())
            .append(" status=")
            .append(s.status())
            .append(" latencyMs=")
            .append(s.latency().toMillis());
    if (s.timeToFirstToken() != null) {
      b.append(" ttftMs=").append(s.timeToFirstToken().toMillis());
    }
    if (c.operation() == Operation.STREAM) {
      b.append(" chunks=").append(s.chunks());
    }
    if (s.usage() != null) {
      b.append(" promptTokens=")
          .append(orDash(s.usage().promptTokens()))
          .append(" completionTokens=")
          .append(orDash(s.usage().completionTokens()));
      Double tps = s.usage().tokensPerSecond();
      if (tps != null) {
        b.append(" tokensPerSec=").append(String.format(Locale.ROOT, "%.1f", tps));
      }
    }
    if (s.cost() != null) {
      b.append(" cost=").append(String.format(Locale.ROOT, "%.6f", s.cost()));
    }
    if (logContent) {
      if (prompt != null) {
        b.append(" prompt=\"").append(cut(prompt)).append('"');
      }
      if (reply != null) {
        b.append(" reply=\"").append(cut(reply)).append('"');
      }
    }
    logger.log(level, Redactor.redact(b.toString()));
  }

  private String cut(String text) {
    String t = text.length() > maxContentChars ? text.substring(0, maxContentChars) + "..." : text;
    return t.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String orDash(Integer v) {
    return v == null ? "-" : v.toString();
  }
}
