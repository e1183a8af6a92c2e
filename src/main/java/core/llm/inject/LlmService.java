package core.llm.inject;

import core.llm.factory.LlmProviderFactory;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Start and stop of everything {@link LlmModule} binds; modules only bind, this does the work.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new LlmModule(), hostModule);
 * LlmService llm = injector.getInstance(LlmService.class);
 * llm.start().await();                      // loads the configuration (fails if invalid), watches the file
 * LlmProviderFactory factory = injector.getInstance(LlmProviderFactory.class);
 * ...
 * llm.stop().await();                        // on shutdown
 * }</pre>
 */
@Singleton
public final class LlmService {
  private static final System.Logger LOG = System.getLogger(LlmService.class.getName());

  private final ProviderConfigManager configs;
  private final LlmProviderFactory factory;
  private final StopHooks hooks;
  private final List<Startable> services;

  @Inject
  LlmService(
      ProviderConfigManager configs,
      LlmProviderFactory factory,
      StopHooks hooks,
      Set<Startable> services) {
    this.configs = configs;
    this.factory = factory; // injected so the factory follows the configuration from the first load
    this.hooks = hooks;
    this.services = List.copyOf(services);
  }

  /**
   * Loads the configuration and starts watching its file, starts the factory (every enabled
   * provider created; Ollama warm lists and residency policies running), then every bound {@link
   * Startable}. Fails with {@link core.llm.providers.config.ConfigValidationException} listing
   * every problem when the configuration is invalid. Does not wait for warm loads, which can take
   * minutes on a cold server: await {@link LlmProviderFactory#start()} for that; a failed one is
   * logged.
   */
  public Future<Void> start() {
    return configs
        .start()
        .compose(
            v -> {
              factory.start(); // logs its own failures; the providers stay usable
              Future<Void> chain = Future.succeededFuture();
              for (Startable s : services) {
                chain = chain.compose(x -> s.start());
              }
              return chain;
            });
  }

  /**
   * Stops the bound {@link Startable}s (newest first), closes every provider once its in-flight
   * requests have finished, stops watching, then closes what the module created itself (the shared
   * OllamaClient, the default Vert.x), never the host's Vert.x.
   */
  public Future<Void> stop() {
    List<Startable> reversed = new ArrayList<>(services);
    java.util.Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (Startable s : reversed) {
      chain =
          chain.eventually(
              () ->
                  s.stop()
                      .onFailure(
                          e ->
                              LOG.log(
                                  System.Logger.Level.WARNING,
                                  "llm service component did not stop cleanly: " + e)));
    }
    return chain
        .eventually(factory::close)
        .eventually(configs::stop)
        .eventually(hooks::runAll)
        .transform(ar -> Future.succeededFuture());
  }
}
