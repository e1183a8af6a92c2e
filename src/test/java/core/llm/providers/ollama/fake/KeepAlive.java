package core.llm.providers.ollama.fake;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code keep_alive} like Ollama: number = seconds, string = Go duration (unit required).
 */
final class KeepAlive {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> UNIT_NS =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "µs",
          1_000L,
          "μs",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L);

  private KeepAlive() {}

  /** Bad value: the message is the server's error text (HTTP 400). */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** null when absent or JSON null; negative values become {@link ModelStore#FOREVER}. */
  static Duration parse(Object value) throws Invalid {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      double secs = n.doubleValue();
      if (secs < 0) {
        return ModelStore.FOREVER;
      }
      return Duration.ofNanos((long) (secs * 1e9));
    }
    if (value instanceof String s) {
      Duration d = parseGo(s);
      return d.isNegative() ? ModelStore.FOREVER : d;
    }
    String type =
        value instanceof Boolean
            ? "bool"
            : value instanceof io.vertx.core.json.JsonArray
                ? "[]interface {}"
                : "map[string]interface {}";
    throw new Invalid("Unsupported type: '" + type + "'");
  }

  /** Go's time.ParseDuration. */
  static Duration parseGo(String s) throws Invalid {
    String orig = s;
    boolean neg = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      neg = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new Invalid("time: invalid duration \"" + orig + "\"");
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        String rest = s.substring(pos);
        if (rest.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
          throw new Invalid("time: missing unit in duration \"" + orig + "\"");
        }
        if (rest.matches("(\\d+(\\.\\d*)?|\\.\\d+)[^\\d.].*")) {
          String unit = rest.replaceFirst("^[\\d.]+", "").replaceFirst("[\\d.].*$", "");
          throw new Invalid("time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
        }
        throw new Invalid("time: invalid duration \"" + orig + "\"");
      }
      total =
          total.add(
              new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1))
                  .multiply(BigDecimal.valueOf(UNIT_NS.get(m.group(2)))));
      pos = m.end();
    }
    long ns = total.longValue();
    return Duration.ofNanos(neg ? -ns : ns);
  }
}
