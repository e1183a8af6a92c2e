package core.llm.gateway;

import java.time.Duration;

/**
 * How a {@link Gateway} is started. Unset values come from the configuration's {@code gateway:}
 * section, and from its defaults when the file has none (127.0.0.1:11435, 30 s grace).
 */
public final class GatewayOptions {
  private String host;
  private Integer port;
  private Boolean allowRemoteWithoutKeys;
  private Duration shutdownGrace;
  private Integer eventLoops;

  /** Address to bind; null (default): the configuration's, else 127.0.0.1. */
  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String value) {
    host = value;
    return this;
  }

  /** Port to bind, 0 for a free one; null (default): the configuration's, else 11435. */
  public Integer getPort() {
    return port;
  }

  public GatewayOptions setPort(Integer value) {
    port = value;
    return this;
  }

  /**
   * Whether a non-loopback address may be bound with no gateway keys configured (a warning is
   * logged); null (default): the configuration's {@code allowRemoteWithoutKeys}, else false.
   */
  public Boolean getAllowRemoteWithoutKeys() {
    return allowRemoteWithoutKeys;
  }

  public GatewayOptions setAllowRemoteWithoutKeys(boolean value) {
    allowRemoteWithoutKeys = value;
    return this;
  }

  /** What SIGTERM grants running streams; null (default): the configuration's, else 30 s. */
  public Duration getShutdownGrace() {
    return shutdownGrace;
  }

  public GatewayOptions setShutdownGrace(Duration value) {
    shutdownGrace = value;
    return this;
  }

  /**
   * How many event loops serve HTTP: one server each, sharing the port (Vert.x hands each new
   * connection to the next). Null (default): 1. More loops use more cores, but a request served on
   * one loop whose upstream connection was opened on another hops between them: on the 2-core
   * reference machine, where the back ends share the cores, two loops cost up to 89% more gateway
   * CPU per request and missed the 0.3 ms p50 goal that one loop meets (docs/BENCHMARKS.md). Raise
   * it on a machine with cores to spare for the gateway; more loops than the Vertx has add nothing.
   * At least 1.
   */
  public Integer getEventLoops() {
    return eventLoops;
  }

  /** {@link #getEventLoops()} with its default applied. */
  public int eventLoopsOrDefault() {
    return eventLoops != null ? eventLoops : 1;
  }

  public GatewayOptions setEventLoops(Integer value) {
    if (value != null && value < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1, was " + value);
    }
    eventLoops = value;
    return this;
  }
}
