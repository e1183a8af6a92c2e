package core.llm.observability;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.RoutingListener;
import core.llm.inject.LlmModule;
import core.llm.inject.Startable;
import core.llm.providers.base.LlmProvider;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Guice: install next to {@link LlmModule} to observe every provider the factory creates. Binds
 * {@link Observability} as a singleton, adds its decorator to {@link LlmModule#DECORATORS} and its
 * routing listener to the {@code RoutingListener} set. Override with OptionalBinder {@code
 * setBinding()}: {@link MetricsSink} (default {@link MetricsSink#detect()}; bind {@code new
 * MicrometerMetricsSink(registry)} for your registry) and {@link PriceTable} (default none).
 *
 * <p>{@code LlmService.start()} also starts following model load/unload events (the monitoring
 * document's loaded models) and, with {@link #ObservabilityModule(Duration)}, an active health
 * probe of every enabled provider on that period; {@code LlmService.stop()} stops both.
 */
public final class ObservabilityModule extends AbstractModule {
  private final Duration healthProbePeriod;

  /** Passive health only (from request outcomes); no probe. */
  public ObservabilityModule() {
    this(null);
  }

  /**
   * Also probes every enabled provider ({@code health()}) every {@code healthProbePeriod}; null =
   * no probe.
   */
  public ObservabilityModule(Duration healthProbePeriod) {
    this.healthProbePeriod = healthProbePeriod;
  }

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), MetricsSink.class);
    OptionalBinder.newOptionalBinder(binder(), PriceTable.class);
  }

  /**
   * Model events and the optional probe, run by {@code LlmService}; one instance, so stop() stops
   * what start() started.
   */
  @ProvidesIntoSet
  @Singleton
  Startable service(Vertx vertx, LlmProviderFactory factory, Observability obs) {
    return new ObservabilityService(vertx, factory, obs, healthProbePeriod);
  }

  /** Every provider the factory creates passes through it. */
  @ProvidesIntoSet
  UnaryOperator<LlmProvider> decorator(Observability obs) {
    return obs.decorator();
  }

  @ProvidesIntoSet
  RoutingListener routingListener(Observability obs) {
    return obs.routingListener();
  }

  @Provides
  @Singleton
  Observability observability(Optional<MetricsSink> metrics, Optional<PriceTable> prices) {
    Observability.Builder b = Observability.builder();
    metrics.ifPresent(b::metrics);
    prices.ifPresent(b::prices);
    return b.build();
  }
}
