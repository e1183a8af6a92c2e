package core.llm.providers.ollama.models;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/** Parses Go {@code time.Duration} strings ("1h30m", "-1m", "300ms", "0") as the server does. */
final class GoDuration {

  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  static Duration parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw invalid(text);
    }
    boolean negative = false;
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".")) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
      if (unit == null) {
        throw new IllegalArgumentException(
            unitStart == i
                ? "missing unit in duration \"" + text + "\""
                : "unknown unit \""
                    + s.substring(unitStart, i)
                    + "\" in duration \""
                    + text
                    + "\"");
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)).toBigInteger());
    }
    if (negative) {
      total = total.negate();
    }
    if (total.bitLength() > 63) {
      throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
    }
    return Duration.ofNanos(total.longValue());
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid duration \"" + text + "\"");
  }
}
