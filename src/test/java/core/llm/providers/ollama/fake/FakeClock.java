package core.llm.providers.ollama.fake;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Controllable clock of the fake server. It is frozen by default (deterministic timestamps and
 * keep-alive expiry that only moves when a test calls {@link #advance(Duration)}); call {@link
 * #followSystemTime()} to let it tick with the wall clock instead.
 *
 * <p>Times are rendered the way Go does: RFC 3339 with 0 to 9 fractional digits (trailing zeros
 * trimmed). {@code created_at} is UTC ({@code Z}); {@code modified_at} and {@code expires_at} carry
 * the configurable "server local" offset, {@code -07:00} by default.
 */
public final class FakeClock {
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private volatile Instant frozenAt;
  private volatile Duration offset = Duration.ZERO;
  private volatile boolean followSystem;
  private volatile ZoneOffset localOffset = ZoneOffset.ofHours(-7);

  public FakeClock() {
    this(Instant.parse("2026-03-14T15:09:26.535897932Z"));
  }

  public FakeClock(Instant start) {
    this.frozenAt = start;
  }

  /** Current fake time. */
  public Instant now() {
    return followSystem ? Instant.now().plus(offset) : frozenAt.plus(offset);
  }

  /** Moves the clock forward (or backward with a negative duration). */
  public FakeClock advance(Duration d) {
    offset = offset.plus(d);
    return this;
  }

  /** Sets the clock to an absolute instant (and freezes it). */
  public FakeClock set(Instant instant) {
    followSystem = false;
    frozenAt = instant;
    offset = Duration.ZERO;
    return this;
  }

  /** Lets the clock tick with the system clock from its current value on. */
  public FakeClock followSystemTime() {
    Instant current = now();
    followSystem = true;
    offset = Duration.between(Instant.now(), current);
    return this;
  }

  /** The offset used for {@code modified_at} / {@code expires_at} (the server's "local" zone). */
  public FakeClock localOffset(ZoneOffset zone) {
    this.localOffset = zone;
    return this;
  }

  public ZoneOffset localOffset() {
    return localOffset;
  }

  /** RFC 3339, UTC, variable fraction: the {@code created_at} format. */
  public String utc(Instant t) {
    return RFC3339.format(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  /** RFC 3339 with the local offset: the {@code modified_at} / {@code expires_at} format. */
  public String local(Instant t) {
    return RFC3339.format(OffsetDateTime.ofInstant(t, localOffset));
  }

  public String nowUtc() {
    return utc(now());
  }
}
