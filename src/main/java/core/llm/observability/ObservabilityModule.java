package core.llm.observability;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import core.llm.factory.RoutingListener;
import core.llm.inject.LlmModule;
import core.llm.providers.base.LLMProvider;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Guice: install next to {@link LlmModule} to observe every provider the factory creates. Binds
 * {@link Observability} as a singleton, adds its decorator to {@link LlmModule#DECORATORS} and its
 * routing listener to the {@code RoutingListener} set. Override with OptionalBinder
 * {@code setBinding()}: {@link MetricsSink} (default {@link MetricsSink#detect()}; bind {@code new
 * MicrometerMetricsSink(registry)} for your registry) and {@link PriceTable} (default none). The
 * health probe and model-event listening need a running Vert.x: start them from the host
 * ({@link Observability#healthProbe}, {@link Observability#listenModelEvents}).
 */
public final class ObservabilityModule extends AbstractModule {

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), MetricsSink.class);
    OptionalBinder.newOptionalBinder(binder(), PriceTable.class);
  }

  /** Every provider the factory creates passes through it. */
  @ProvidesIntoSet
  UnaryOperator<LLMProvider> decorator(Observability obs) {
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
