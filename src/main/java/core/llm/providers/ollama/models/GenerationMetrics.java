package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The timing and count fields shared by generate and chat responses. The server omits zero metrics
 * and sends them only on the {@code done:true} object, so every raw value may be null; the {@code
 * ...Time()} helpers read an absent value as zero.
 */
public interface GenerationMetrics {

  String createdAt();

  Long totalDuration();

  Long loadDuration();

  Integer promptEvalCount();

  Long promptEvalDuration();

  Integer evalCount();

  Long evalDuration();

  @JsonIgnore
  default OffsetDateTime createdAtTime() {
    return Wire.time(createdAt());
  }

  @JsonIgnore
  default Duration totalDurationTime() {
    return Wire.nanos(totalDuration());
  }

  @JsonIgnore
  default Duration loadDurationTime() {
    return Wire.nanos(loadDuration());
  }

  @JsonIgnore
  default Duration promptEvalDurationTime() {
    return Wire.nanos(promptEvalDuration());
  }

  @JsonIgnore
  default Duration evalDurationTime() {
    return Wire.nanos(evalDuration());
  }

  /** Generated tokens per second, or 0 when the metrics are missing. */
  @JsonIgnore
  default double tokensPerSecond() {
    Long d = evalDuration();
    Integer n = evalCount();
    return d == null || n == null || d == 0 ? 0.0 : n * 1e9 / d;
  }
}
