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
 * @param cluster several instances sharing key limits, breakers, in-flight counts and load claims;
 *     {@link Cluster#OFF} (the default) keeps every state in this process
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GatewayConfig(
    String host,
    Integer port,
    List<Key> keys,
    boolean allowRemoteWithoutKeys,
    @JsonSerialize(using = ToStringSerializer.class) Duration shutdownGrace,
    Long maxRequestBytes,
    List<Price> prices,
    Cluster cluster) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 11435;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  public static final GatewayConfig DEFAULTS =
      new GatewayConfig(null, null, null, false, null, null, null, null);

  /** Every field but {@code cluster}, which is off. */
  public GatewayConfig(
      String host,
      Integer port,
      List<Key> keys,
      boolean allowRemoteWithoutKeys,
      Duration shutdownGrace,
      Long maxRequestBytes,
      List<Price> prices) {
    this(host, port, keys, allowRemoteWithoutKeys, shutdownGrace, maxRequestBytes, prices, null);
  }

  public GatewayConfig {
    host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
    port = port == null ? DEFAULT_PORT : port;
    keys = keys == null ? List.of() : List.copyOf(keys);
    prices = prices == null ? List.of() : List.copyOf(prices);
    shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
    maxRequestBytes = maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES : maxRequestBytes;
    cluster = cluster == null ? Cluster.OFF : cluster;
  }

  /**
   * {@code gateway.cluster}: the instances of {@code llm serve} that share routing state (key
   * limits and budgets, breakers, in-flight counts, residency, load claims) through a Hazelcast
   * cluster. Read at start; a reload does not change it.
   *
   * @param enabled whether this instance joins a cluster (default false)
   * @param name the cluster's name: only instances with the same name join (default {@value
   *     #DEFAULT_NAME})
   * @param host the address this member binds and announces (default {@value #DEFAULT_HOST}; give
   *     the machine's own address in a real network)
   * @param port the first port tried for the cluster's traffic; the next free one above it is taken
   *     (default {@value #DEFAULT_PORT}), so several instances on one machine need no port each
   * @param members {@code host} or {@code host:port} of the members to contact (TCP discovery, no
   *     multicast; a host without a port is tried on ports {@code port} to {@code port}+9); empty:
   *     {@code host} itself, so the instances of one machine find each other
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Cluster(
      boolean enabled, String name, String host, Integer port, List<String> members) {
    public static final String DEFAULT_NAME = "core-llm";
    public static final int DEFAULT_PORT = 5701;
    public static final Cluster OFF = new Cluster(false, null, null, null, null);

    public Cluster {
      name = name == null || name.isBlank() ? DEFAULT_NAME : name.strip();
      host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
      port = port == null ? DEFAULT_PORT : port;
      members = members == null ? List.of() : List.copyOf(members);
    }
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
