package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;
import java.util.List;

/**
 * The {@code gateway:} section of the configuration file: what {@code llm serve} listens on and
 * whom it lets in. The library ignores it; the gateway reads it from every snapshot, so a reload
 * changes keys and limits while serving (the address only at the next start).
 *
 * @param host address to bind (default {@value #DEFAULT_HOST}); {@code --host} overrides it
 * @param port port to bind (default {@value #DEFAULT_PORT}; 0 picks a free one); {@code --port}
 *     overrides it
 * @param keys who may call the gateway; empty: anyone who can reach it, which is why the gateway
 *     then binds to loopback only unless {@code allowRemoteWithoutKeys} is set
 * @param allowRemoteWithoutKeys bind a non-loopback address with no keys configured (logs a
 *     warning); default false
 * @param shutdownGrace how long SIGTERM lets running streams finish before cancelling them (default
 *     30s)
 * @param maxRequestBytes largest request body accepted (default 64 MiB: images travel as base64)
 * @param prices what models cost, in US dollars per million tokens: the gateway's cost metrics,
 *     dashboard and key budgets use them; empty: every model is free
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GatewayConfig(
    String host,
    Integer port,
    List<Key> keys,
    boolean allowRemoteWithoutKeys,
    @JsonSerialize(using = ToStringSerializer.class) Duration shutdownGrace,
    Long maxRequestBytes,
    List<Price> prices) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 11435;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  public static final GatewayConfig DEFAULTS =
      new GatewayConfig(null, null, null, false, null, null, null);

  public GatewayConfig {
    host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
    port = port == null ? DEFAULT_PORT : port;
    keys = keys == null ? List.of() : List.copyOf(keys);
    prices = prices == null ? List.of() : List.copyOf(prices);
    shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
    maxRequestBytes = maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES : maxRequestBytes;
  }

  /**
   * One gateway key. The file holds its SHA-256 (hex), never the key: {@code llm serve --hash-key}
   * prints the line to paste.
   *
   * @param name what logs, metrics and the monitoring page call the key's holder
   * @param sha256 hex SHA-256 of the key's UTF-8 bytes
   * @param models models (or aliases) the key may use; empty: every model
   * @param requestsPerMinute requests per minute; null: no limit
   * @param tokensPerMinute prompt plus completion tokens per minute; null: no limit
   * @param budget spend allowed, in US dollars at the price table's rates; null: no budget
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Key(
      String name,
      String sha256,
      List<String> models,
      Integer requestsPerMinute,
      Integer tokensPerMinute,
      Double budget) {
    public Key {
      models = models == null ? List.of() : List.copyOf(models);
    }
  }

  /**
   * The price of one model, per million tokens, in US dollars.
   *
   * @param provider the provider it applies to; null: any provider serving the model
   * @param model the model name ({@code llama3.2} also prices {@code llama3.2:latest})
   * @param inputPerMillion a million prompt tokens
   * @param outputPerMillion a million completion tokens
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Price(
      String provider, String model, double inputPerMillion, double outputPerMillion) {}
}
