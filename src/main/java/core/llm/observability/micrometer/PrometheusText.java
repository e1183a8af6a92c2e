package core.llm.observability.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry, kept apart from {@link MicrometerMetricsSink} so that the sink loads
 * with micrometer-core alone: this class (and micrometer-registry-prometheus) is loaded only when a
 * Prometheus registry is asked for.
 */
final class PrometheusText {
  private PrometheusText() {}

  static MeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  static String scrape(MeterRegistry registry) {
    return ((PrometheusMeterRegistry) registry).scrape();
  }
}
