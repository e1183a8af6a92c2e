package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code keep_alive} field of generate, chat, embed and embeddings requests.
 *
 * <p>Built values are always written as a JSON number of seconds, because the server rejects a
 * string without a unit ({@code "300"} is a 400). A Go duration string with a unit that was read
 * from the wire is written back unchanged; a unit-less string is repaired into a number. Negative
 * means keep loaded forever, zero means unload when idle.
 */
public final class KeepAlive {

  public static final KeepAlive FOREVER =
      new KeepAlive(Duration.ofSeconds(-1), LongNode.valueOf(-1));
  public static final KeepAlive UNLOAD = new KeepAlive(Duration.ZERO, LongNode.valueOf(0));

  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private final Duration duration;

  /** Exactly what goes on the wire: a number node, or a string that carries a unit. */
  private final JsonNode wire;

  private KeepAlive(Duration duration, JsonNode wire) {
    this.duration = duration;
    this.wire = wire;
  }

  public static KeepAlive of(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    BigDecimal seconds =
        new BigDecimal(BigInteger.valueOf(duration.getSeconds()))
            .add(BigDecimal.valueOf(duration.getNano(), 9))
            .stripTrailingZeros();
    JsonNode wire =
        seconds.scale() <= 0
            ? LongNode.valueOf(seconds.longValueExact())
            : DecimalNode.valueOf(seconds);
    return new KeepAlive(duration, wire);
  }

  public static KeepAlive ofSeconds(long seconds) {
    return of(Duration.ofSeconds(seconds));
  }

  /** Parses a Go duration string such as {@code "1h30m"}; a bare number is taken as seconds. */
  public static KeepAlive parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    if (isUnitless(s)) {
      return of(secondsToDuration(new BigDecimal(s)));
    }
    return new KeepAlive(GoDuration.parse(s), TextNode.valueOf(text));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static KeepAlive fromJson(JsonNode node) {
    if (node.isNumber()) {
      // keep the node itself so 300, 300.0 and 42.5 come back exactly as they came
      return new KeepAlive(secondsToDuration(node.decimalValue()), node);
    }
    if (node.isTextual()) {
      return parse(node.textValue());
    }
    throw new IllegalArgumentException(
        "keep_alive must be a number or a duration string, got " + node.getNodeType());
  }

  @JsonValue
  JsonNode jsonValue() {
    return wire;
  }

  public Duration duration() {
    return duration;
  }

  public boolean isForever() {
    return duration.isNegative();
  }

  public boolean isUnload() {
    return duration.isZero();
  }

  private static boolean isUnitless(String s) {
    return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)") && !s.equals("0");
  }

  private static Duration secondsToDuration(BigDecimal seconds) {
    BigInteger nanos = seconds.multiply(NANOS_PER_SECOND).toBigInteger();
    // Go caps at the largest duration; clamp rather than overflow
    if (nanos.bitLength() > 63) {
      return Duration.ofNanos(nanos.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    return Duration.ofNanos(nanos.longValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeepAlive k
        && duration.equals(k.duration)
        && wire.isTextual() == k.wire.isTextual()
        && (!wire.isTextual() || wire.textValue().equals(k.wire.textValue()));
  }

  @Override
  public int hashCode() {
    return duration.hashCode();
  }

  @Override
  public String toString() {
    return "KeepAlive[" + wire + "]";
  }
}
