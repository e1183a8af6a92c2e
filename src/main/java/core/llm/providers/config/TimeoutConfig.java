package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;

/**
 * Per-provider timeouts; every field is optional (null means "the provider's default").
 *
 * @param connect establishing the TCP/TLS connection
 * @param firstByte from sending the request to the first response byte (for Ollama this covers
 *     model loading: keep it long)
 * @param idle longest silence between two stream chunks
 * @param total the whole exchange
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeoutConfig(
    @JsonSerialize(using = ToStringSerializer.class) Duration connect,
    @JsonSerialize(using = ToStringSerializer.class) Duration firstByte,
    @JsonSerialize(using = ToStringSerializer.class) Duration idle,
    @JsonSerialize(using = ToStringSerializer.class) Duration total) {

  /** No timeout set. */
  public static final TimeoutConfig NONE = new TimeoutConfig(null, null, null, null);

  /** Whether no timeout is set. */
  public boolean empty() {
    return connect == null && firstByte == null && idle == null && total == null;
  }
}
