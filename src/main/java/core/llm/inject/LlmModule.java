package core.llm.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import core.llm.factory.BuiltInProviders;
import core.llm.factory.EventBusRoutingListener;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderCreator;
import core.llm.factory.RoutingClock;
import core.llm.factory.RoutingListener;
import core.llm.factory.SharedRoutingState;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Binds the LLM stack as singletons: {@link ProviderConfigManager}, {@link LlmProviderFactory},
 * {@link OllamaClient} (for the default Ollama, from {@code OLLAMA_HOST}), {@link LlmService}, and
 * the extension points:
 *
 * <ul>
 *   <li>{@code MapBinder<String, ProviderCreator>}: provider types (built-ins added here; add yours
 *       with {@code MapBinder.newMapBinder(binder(), String.class,
 *       ProviderCreator.class).addBinding("x")}).
 *   <li>{@code OptionalBinder<Vertx>}: default {@code Vertx.vertx()}, created on first use and
 *       closed by {@link LlmService#stop()}; bind {@code setBinding()} to use (and keep owning)
 *       yours.
 *   <li>{@code OptionalBinder<LlmSettings>}: config file and environment; default {@link
 *       LlmSettings#defaults()}.
 *   <li>{@code OptionalBinder<SecretResolver>}: default {@code apiKeyEnv} in the settings'
 *       environment.
 *   <li>{@code OptionalBinder<RoutingClock>}: default Vert.x timers.
 *   <li>{@code OptionalBinder<SharedRoutingState>}: default {@link SharedRoutingState#local()};
 *       bind {@code setBinding()} to {@code SharedRoutingState.clustered(vertx)} (with a clustered
 *       {@code Vertx} bound too) so several application instances share breakers, in-flight counts
 *       and cold-load claims.
 *   <li>{@code Multibinder<RoutingListener>}: routing observers; events are also published on the
 *       event bus at {@code core.llm.routing}.
 *   <li>{@code Multibinder<UnaryOperator<LlmProvider>>} ({@link #DECORATORS}): wrappers applied to
 *       every provider the factory creates (metrics, logging: {@code core.llm.observability}).
 *   <li>{@code Multibinder<Startable>}: background work started and stopped by {@link LlmService}
 *       (the observability module's health probe and model-event listener).
 * </ul>
 *
 * <p>It only binds: no I/O, no thread, no condition. Call {@link LlmService#start()} after creating
 * the injector and {@link LlmService#stop()} on shutdown.
 */
public final class LlmModule extends AbstractModule {

  /** Key type of the provider-decorator Multibinder. */
  public static final TypeLiteral<UnaryOperator<LlmProvider>> DECORATORS = new TypeLiteral<>() {};

  @Override
  protected void configure() {
    bind(StopHooks.class).in(Singleton.class);
    bind(DefaultVertxProvider.class).in(Singleton.class);
    bind(LlmService.class).in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), Vertx.class)
        .setDefault()
        .toProvider(DefaultVertxProvider.class)
        .in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
        .setDefault()
        .toInstance(LlmSettings.defaults());
    OptionalBinder.newOptionalBinder(binder(), SecretResolver.class)
        .setDefault()
        .toProvider(DefaultSecrets.class);
    OptionalBinder.newOptionalBinder(binder(), RoutingClock.class);
    OptionalBinder.newOptionalBinder(binder(), SharedRoutingState.class)
        .setDefault()
        .toInstance(SharedRoutingState.local());
    MapBinder<String, ProviderCreator> creators =
        MapBinder.newMapBinder(binder(), String.class, ProviderCreator.class);
    BuiltInProviders.creators()
        .forEach((type, creator) -> creators.addBinding(type).toInstance(creator));
    Multibinder.newSetBinder(binder(), RoutingListener.class);
    Multibinder.newSetBinder(binder(), Startable.class);
    Multibinder.newSetBinder(binder(), DECORATORS);
  }

  /** Watches {@link LlmSettings#configFile()}; validates types against the registered creators. */
  @Provides
  @Singleton
  ProviderConfigManager configManager(
      Vertx vertx, LlmSettings settings, Map<String, ProviderCreator> creators) {
    return ProviderConfigManager.create(
        vertx, settings.configFile(), settings.env(), creators.keySet());
  }

  @Provides
  @Singleton
  LlmProviderFactory factory(
      Vertx vertx,
      ProviderConfigManager configs,
      Map<String, ProviderCreator> creators,
      SecretResolver secrets,
      Set<RoutingListener> listeners,
      Optional<RoutingClock> clock,
      Set<UnaryOperator<LlmProvider>> decorators,
      SharedRoutingState shared) {
    LlmProviderFactory.Builder b =
        LlmProviderFactory.builder(vertx, configs)
            .creators(creators)
            .secrets(secrets)
            .sharedState(shared);
    listeners.forEach(b::listener);
    decorators.forEach(b::decorator);
    clock.ifPresent(b::clock);
    return b.build();
  }

  /** Routing events on the event bus at {@code core.llm.routing}. */
  @ProvidesIntoSet
  RoutingListener eventBusListener(Vertx vertx) {
    return new EventBusRoutingListener(vertx.eventBus());
  }

  /**
   * The client for the default Ollama ({@code OLLAMA_HOST}); closed by {@link LlmService#stop()}.
   */
  @Provides
  @Singleton
  OllamaClient ollamaClient(Vertx vertx, LlmSettings settings, StopHooks hooks) {
    OllamaClient client =
        OllamaClient.create(vertx, OllamaClientOptions.fromEnvironment(settings.env()));
    hooks.add(client::close);
    return client;
  }

  /** {@code apiKeyEnv} resolved in the settings' environment. */
  static final class DefaultSecrets implements jakarta.inject.Provider<SecretResolver> {
    private final LlmSettings settings;

    @jakarta.inject.Inject
    DefaultSecrets(LlmSettings settings) {
      this.settings = settings;
    }

    @Override
    public SecretResolver get() {
      return SecretResolver.fromEnv(settings.env());
    }
  }
}
