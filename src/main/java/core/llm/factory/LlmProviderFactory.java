package core.llm.factory;

import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * Providers by name or by model, created from the live configuration of a {@link
 * ProviderConfigManager} and kept in step with it.
 *
 * <pre>{@code
 * LlmProviderFactory factory = LlmProviderFactory.builder(vertx, configs)   // configs started by the host
 *     .creators(ProviderCreators.discover())
 *     .build();
 * factory.router().chat(CompletionRequest.builder("llama3.2").user("hi").build());  // routed, failover
 * factory.providerForModel("llama3.2").compose(p -> p.chat(request));              // first candidate only
 * }</pre>
 *
 * <p>Providers are created on first use, once (concurrent first calls share one instance). On a
 * configuration change the factory creates new providers lazily, replaces changed ones and drains
 * removed ones: requests already running finish on the old instance, which is closed afterwards.
 * Handles returned by {@link #provider} stay usable across reloads: after theirs was replaced they
 * forward to the replacement. Thread-safe.
 */
public interface LlmProviderFactory {

  static Builder builder(Vertx vertx, ProviderConfigManager configs) {
    return new Builder(vertx, configs);
  }

  /**
   * The provider of that name (configured and enabled), created on first call. Fails with {@link
   * ProviderNotFoundException} (listing the available names) when there is none or its creator
   * fails; with IllegalStateException before the config manager started.
   */
  Future<LlmProvider> provider(String name);

  /**
   * Where a request for {@code model} would go, without sending anything: the model after aliases
   * and the candidate providers in the order routing tries them (the same resolution the router
   * uses; equal-rank providers are in one weighted draw's order). Throws {@link
   * NoProviderForModelException} when none serves the model.
   */
  ModelRoute route(String model, String preferred);

  /**
   * {@link #route(String, String)} for a request that asks for {@code contextLength} ({@code
   * num_ctx}; null for none): a loaded copy running with another context length ranks just behind a
   * matching one, as the router ranks it. Each {@link ModelRoute#candidates() candidate} carries
   * the step that put it there and the placement inputs it was ranked by; the order is the router's
   * own (the same resolution and placement code), equal scores in one weighted draw's order. Reads
   * only what this process knows: call {@link #refreshResidency()} first for the servers' view.
   */
  ModelRoute route(String model, String preferred, Integer contextLength);

  /**
   * Asks every enabled provider that can say which models its server has loaded now (Ollama: one
   * {@code /api/ps}, under its {@code metadataTimeout}, through {@link
   * core.llm.providers.base.LlmProvider#modelControl()}), which also refreshes the residency the
   * router ranks by; creates the providers not created yet. Applies no lifecycle policy (unloads
   * nothing). Always succeeds: a provider that could not answer has {@code refreshed == false} and
   * its error. What a short-lived program (the CLI) calls before explaining a route.
   */
  Future<List<HostState>> refreshResidency();

  /**
   * A provider's host as {@link #refreshResidency()} found it.
   *
   * @param provider the provider's name
   * @param refreshed whether its server said which models are loaded (false: no model control, or
   *     it failed; {@code loaded} is then empty)
   * @param loaded the loaded models, as the server names them
   * @param inFlight requests running on it now (through this factory)
   * @param capacity {@code options.parallel} (default 1)
   * @param error why the refresh failed, or null
   */
  record HostState(
      String provider,
      boolean refreshed,
      List<Loaded> loaded,
      int inFlight,
      int capacity,
      String error) {
    public HostState {
      loaded = List.copyOf(loaded);
    }

    /** A loaded model and the context length it runs with, when known. */
    public record Loaded(String model, java.util.OptionalInt contextLength) {}
  }

  /** {@link #providerForModel(String, String)} without a preference. */
  Future<LlmProvider> providerForModel(String model);

  /**
   * The first candidate for the model that is not cooling down, in the documented order (preferred
   * if it serves the model, registration or mapping, providers listing it by weight, default,
   * fallback). Fails with {@link NoProviderForModelException} when none serves it, {@link
   * ServiceUnavailableException} when all that do are cooling down. No failover: use {@link
   * #router()} for that.
   */
  Future<LlmProvider> providerForModel(String model, String preferred);

  /**
   * Routes {@code model} to {@code provider} from now on, ahead of the configured mapping; survives
   * reloads. Throws {@link ProviderNotFoundException} when no enabled provider has that name.
   */
  void registerModel(String model, String provider);

  /** Configured, enabled providers in file order, with breaker state and last error. */
  List<ProviderStatus> availableProviders();

  /**
   * A provider that routes every request by its model across the candidates: failover and retries
   * before the first token, breakers, typed mid-stream errors after it. Stable across reloads.
   */
  LlmProvider router();

  /** {@link #router()} that puts {@code preferred} first whenever it serves the model. */
  LlmProvider router(String preferred);

  /** Adds a routing observer. Returns {@code this}. */
  LlmProviderFactory addListener(RoutingListener listener);

  /**
   * Creates every enabled provider now and starts its background work ({@link LlmProvider#start()}:
   * for Ollama, the warm list and residency policies of {@code options.lifecycle}); from then on,
   * each provider a reload adds or changes is created and started at once too. Without it,
   * providers are created on first use and run no background work (what a short-lived program such
   * as the CLI wants). Completes when every start completed; fails with the first failure (a warm
   * load that could not reach its server), which leaves the factory and that provider usable.
   * Idempotent. {@code LlmService.start()} calls it.
   */
  Future<Void> start();

  /**
   * Stops following the configuration and closes every provider now: a request or stream still in
   * flight fails with a typed {@link core.llm.common.CancelledException} (a stream the application
   * paused and never reads again cannot hold the shutdown). Same as {@code
   * shutdown(Duration.ZERO)}.
   */
  Future<Void> close();

  /**
   * Stops following the configuration and takes no new request; what is in flight may finish for up
   * to {@code grace}, then is cancelled as by {@link #close()}. Completes once every provider is
   * closed, within {@code grace} plus the time closing takes.
   */
  Future<Void> shutdown(java.time.Duration grace);

  /**
   * What this factory shares with other processes' factories: {@link SharedRoutingState#local()}
   * unless the builder was given a cluster's (its members are what the monitoring document lists).
   */
  default SharedRoutingState sharedState() {
    return SharedRoutingState.local();
  }

  /** Builder; only the Vert.x instance and the config manager are required. */
  final class Builder {
    private final Vertx vertx;
    private final ProviderConfigManager configs;
    private final Map<String, ProviderCreator> creators = new LinkedHashMap<>();
    private final List<RoutingListener> listeners = new ArrayList<>();
    private final List<UnaryOperator<LlmProvider>> decorators = new ArrayList<>();
    private SecretResolver secrets = SecretResolver.system();
    private RoutingClock clock;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private SharedRoutingState shared = SharedRoutingState.local();

    private Builder(Vertx vertx, ProviderConfigManager configs) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.configs = Objects.requireNonNull(configs, "configs");
      // The built-in types are always there: forgetting to register them used to leave a factory
      // that could create nothing, with a NOT_FOUND that did not say why.
      creators.putAll(BuiltInProviders.creators());
    }

    /**
     * Type → creator, added to the built-in types ({@code ollama}, {@code openai}, {@code
     * anthropic}, {@code mock}, registered by default) — e.g. {@link ProviderCreators#discover()}
     * for those on the class path; later calls add or replace types.
     */
    public Builder creators(Map<String, ? extends ProviderCreator> value) {
      creators.putAll(value);
      return this;
    }

    public Builder creator(ProviderCreator creator) {
      creators.put(creator.type(), creator);
      return this;
    }

    /** Where API keys come from (default: {@code apiKeyEnv} in the process environment). */
    public Builder secrets(SecretResolver value) {
      secrets = Objects.requireNonNull(value);
      return this;
    }

    /** Time source and sleeper for backoff and breakers (default: Vert.x timers). */
    public Builder clock(RoutingClock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /** Random numbers in [0, 1) for jitter and weighted choice (tests make them fixed). */
    public Builder random(DoubleSupplier value) {
      random = Objects.requireNonNull(value);
      return this;
    }

    public Builder listener(RoutingListener value) {
      listeners.add(Objects.requireNonNull(value));
      return this;
    }

    /**
     * Wraps every provider the factory creates (again after a reload replaced it), in the order
     * added: the first added is innermost. For cross-cutting concerns such as metrics and logging
     * (core.llm.observability); the router sees and routes to the wrapped instance, so each attempt
     * passes through it. A decorator must keep the provider's name and must not block.
     */
    public Builder decorator(UnaryOperator<LlmProvider> value) {
      decorators.add(Objects.requireNonNull(value));
      return this;
    }

    /**
     * What this factory shares with the factories of other processes (breaker failures, in-flight
     * counts, loaded models, cold-load claims): default {@link SharedRoutingState#local()},
     * nothing; {@link SharedRoutingState#clustered} for several instances behind one load balancer.
     * Sharing starts with {@link #start()}; closing the factory stops it.
     */
    public Builder sharedState(SharedRoutingState value) {
      shared = Objects.requireNonNull(value);
      return this;
    }

    /** The factory; it subscribes to the config manager's changes (no I/O happens here). */
    public LlmProviderFactory build() {
      return new LlmProviderFactoryImpl(
          vertx,
          configs,
          Map.copyOf(creators),
          secrets,
          clock == null ? RoutingClock.vertx(vertx) : clock,
          random,
          listeners,
          List.copyOf(decorators),
          shared);
    }
  }
}
