/**
 * Observability of every provider and of the router: metrics through an optional Micrometer ({@link
 * core.llm.observability.MetricsSink}), usage and cost ({@link core.llm.observability.PriceTable},
 * {@link core.llm.observability.UsageTracker}), the request log ({@link
 * core.llm.observability.RequestLog}), health ({@link core.llm.observability.HealthTracker}, {@link
 * core.llm.observability.HealthProbe}), a monitoring endpoint ({@link
 * core.llm.observability.MonitoringHandler}) and tracing hooks ({@link
 * core.llm.observability.RequestListener}), all reached from {@link
 * core.llm.observability.Observability}. Only {@code core.llm.observability.micrometer} references
 * Micrometer and only {@code MonitoringHandler} references Vert.x Web; both are optional.
 */
package core.llm.observability;
