package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One progress object of the pull, push and create streams; the stream is done at status {@code
 * success}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProgressResponse(
    @JsonProperty("status") String status,
    @JsonProperty("digest") String digest,
    @JsonProperty("total") Long total,
    @JsonProperty("completed") Long completed,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  @JsonCreator
  public ProgressResponse {
    extra = Wire.extra(extra);
  }

  /** Without unknown fields. */
  public ProgressResponse(String status, String digest, Long total, Long completed) {
    this(status, digest, total, completed, Map.of());
  }

  public static final String SUCCESS = "success";

  @JsonIgnore
  public boolean isSuccess() {
    return SUCCESS.equals(status);
  }

  /** Fraction done in [0,1], or -1 when the total is unknown; absent completed means 0. */
  @JsonIgnore
  public double fraction() {
    if (total == null || total <= 0) {
      return -1;
    }
    return Math.min(1.0, (completed == null ? 0L : completed) / (double) total);
  }
}
