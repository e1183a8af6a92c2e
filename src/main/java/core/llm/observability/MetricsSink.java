package core.llm.observability;

import core.llm.common.Usage;
import java.util.Optional;

/**
 * Where measurements go. The library never references a metrics library outside {@code
 * core.llm.observability.micrometer}: {@link #NOOP} records nothing, {@link #detect()} picks the
 * Micrometer sink only when Micrometer is on the classpath, and a host with a registry binds {@code
 * new MicrometerMetricsSink(registry)}.
 *
 * <p>Arguments are already bounded labels (provider names from the configuration, capped model
 * names, enum-derived operation and outcome values). Implementations must be thread-safe and cheap:
 * {@link StreamTimer#interToken} runs once per streamed chunk.
 */
public interface MetricsSink {

  /** Per-stream timing handle, resolved once per stream so each chunk costs one record. */
  interface StreamTimer {
    StreamTimer NOOP =
        new StreamTimer() {
          @Override
          public void firstToken(long nanos) {}

          @Override
          public void interToken(long nanos) {}
        };

    /** Start of the request to the first content chunk. */
    void firstToken(long nanos);

    /** Gap between two content chunks. */
    void interToken(long nanos);
  }

  /** One finished request (count and latency). */
  void request(String provider, String model, String operation, String outcome, long nanos);

  /** The timing handle for a stream of that provider and model. */
  StreamTimer stream(String provider, String model);

  /** Tokens in and out and the server's own durations, as far as {@code usage} has them. */
  void usage(String provider, String model, Usage usage);

  /** Cost of one request in the price table's currency (only called when the model has a price). */
  void cost(String provider, String model, double cost);

  /**
   * A router decision; {@code type} and {@code kind} are lower-case enum names, kind "none" if
   * absent.
   */
  void routing(String type, String provider, String kind);

  /** Breaker state: 0 closed, 1 half-open, 2 open. */
  void breakerState(String provider, int state);

  /** Provider health: 1 up, 0 down or cooling down, -1 unknown. */
  void providerUp(String provider, int up);

  /** Models loaded on an Ollama host now. */
  void modelsLoaded(String host, int count);

  /**
   * One request the gateway answered ({@code llm serve}): which API it came in on ({@code ollama},
   * {@code openai}, {@code anthropic}, {@code ops}, {@code other}), its HTTP status and whether it
   * streamed, and its time to the response's end. A no-op unless a sink records it.
   */
  default void gatewayRequest(String api, int status, boolean stream, long nanos) {}

  /** Records nothing. */
  MetricsSink NOOP =
      new MetricsSink() {
        @Override
        public void request(
            String provider, String model, String operation, String outcome, long nanos) {}

        @Override
        public StreamTimer stream(String provider, String model) {
          return StreamTimer.NOOP;
        }

        @Override
        public void usage(String provider, String model, Usage usage) {}

        @Override
        public void cost(String provider, String model, double cost) {}

        @Override
        public void routing(String type, String provider, String kind) {}

        @Override
        public void breakerState(String provider, int state) {}

        @Override
        public void providerUp(String provider, int up) {}

        @Override
        public void modelsLoaded(String host, int count) {}
      };

  /**
   * Every metric now in Prometheus' text exposition format, when this sink keeps them in a
   * Prometheus registry (as {@code llm serve}'s does, for its {@code /metrics}); else empty.
   */
  default Optional<String> prometheusText() {
    return Optional.empty();
  }

  /** Whether Micrometer's core classes can be loaded. */
  static boolean micrometerPresent() {
    try {
      // A string, not a class literal: this class must load without Micrometer.
      Class.forName(
          "io.micrometer.core.instrument.MeterRegistry", false, MetricsSink.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * A sink on Micrometer's global registry when Micrometer is present (it records nothing until the
   * host adds a registry to {@code Metrics.globalRegistry}), else {@link #NOOP}.
   */
  static MetricsSink detect() {
    if (!micrometerPresent()) {
      return NOOP;
    }
    try {
      // Reflection so that no constant of this class names the Micrometer sink's types.
      return (MetricsSink)
          Class.forName("core.llm.observability.micrometer.MicrometerMetricsSink")
              .getMethod("global")
              .invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return NOOP;
    }
  }
}
