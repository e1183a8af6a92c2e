package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code keep_alive} field of generate, chat, embed and embeddings requests: a number of
 * seconds ({@link Seconds}) or a Go duration string with a unit ({@link Text}).
 *
 * <p>The variants are records; match them with {@code instanceof} (or a pattern {@code switch} on
 * Java 21):
 *
 * <pre>{@code
 * switch (keepAlive) {
 *   case KeepAlive.Seconds s -> ... s.seconds() ...   // 300, -1, 42.5
 *   case KeepAlive.Text t -> ... t.value() ...        // "5m", "1h30m"
 * }
 * }</pre>
 *
 * <p>Built values are always written as a JSON number of seconds, because the server rejects a
 * string without a unit ({@code "300"} is a 400). A Go duration string with a unit that was read
 * from the wire is written back unchanged; a unit-less string is repaired into a number. Negative
 * means keep loaded forever, zero means unload when idle.
 */
public sealed interface KeepAlive permits KeepAlive.Seconds, KeepAlive.Text {

  KeepAlive FOREVER = new Seconds(BigDecimal.valueOf(-1));
  KeepAlive UNLOAD = new Seconds(BigDecimal.ZERO);

  /**
   * A JSON number of seconds, written as given: {@code 300}, {@code 300.0} and {@code 42.5} come
   * back as they came. Two values are equal when they mean the same duration.
   */
  record Seconds(BigDecimal seconds) implements KeepAlive {
    public Seconds {
      Objects.requireNonNull(seconds, "seconds");
    }

    @JsonValue
    JsonNode jsonValue() {
      // an integral value with trailing zeros stripped (3E+2) is still written as 300
      return seconds.scale() <= 0
          ? BigIntegerNode.valueOf(seconds.toBigIntegerExact())
          : DecimalNode.valueOf(seconds);
    }

    @Override
    public Duration duration() {
      return secondsToDuration(seconds);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Seconds s && duration().equals(s.duration());
    }

    @Override
    public int hashCode() {
      return duration().hashCode();
    }

    @Override
    public String toString() {
      return "KeepAlive[" + jsonValue() + "]";
    }
  }

  /**
   * A Go duration string that carries a unit ({@code "5m"}, {@code "1h30m"}, or {@code "0"}),
   * written back verbatim. A unit-less number string is refused: the server answers it with a 400.
   */
  record Text(@JsonValue String value) implements KeepAlive {
    public Text {
      Objects.requireNonNull(value, "value");
      if (isUnitless(value.trim())) {
        throw new IllegalArgumentException(
            "keep_alive \"" + value + "\" has no unit; use KeepAlive.parse or Seconds");
      }
      GoDuration.parse(value);
    }

    @Override
    public Duration duration() {
      return GoDuration.parse(value);
    }

    @Override
    public String toString() {
      return "KeepAlive[\"" + value + "\"]";
    }
  }

  static KeepAlive of(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    BigDecimal seconds =
        new BigDecimal(BigInteger.valueOf(duration.getSeconds()))
            .add(BigDecimal.valueOf(duration.getNano(), 9))
            .stripTrailingZeros();
    return new Seconds(seconds);
  }

  static KeepAlive ofSeconds(long seconds) {
    return of(Duration.ofSeconds(seconds));
  }

  /** Parses a Go duration string such as {@code "1h30m"}; a bare number is taken as seconds. */
  static KeepAlive parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    if (isUnitless(s)) {
      return of(secondsToDuration(new BigDecimal(s)));
    }
    return new Text(text);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  private static KeepAlive fromJson(JsonNode node) {
    if (node.isNumber()) {
      // keep the number itself so 300, 300.0 and 42.5 come back exactly as they came
      return new Seconds(
          node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue());
    }
    if (node.isTextual()) {
      return parse(node.textValue());
    }
    throw new IllegalArgumentException(
        "keep_alive must be a number or a duration string, got " + node.getNodeType());
  }

  /** What the value means (Go caps durations at about 292 years; so does this). */
  Duration duration();

  default boolean isForever() {
    return duration().isNegative();
  }

  default boolean isUnload() {
    return duration().isZero();
  }

  private static boolean isUnitless(String s) {
    return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)") && !s.equals("0");
  }

  private static Duration secondsToDuration(BigDecimal seconds) {
    BigInteger nanos = seconds.multiply(BigDecimal.valueOf(1_000_000_000L)).toBigInteger();
    // Go caps at the largest duration; clamp rather than overflow
    if (nanos.bitLength() > 63) {
      return Duration.ofNanos(nanos.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    return Duration.ofNanos(nanos.longValue());
  }
}
