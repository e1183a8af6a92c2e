package core.llm.inject;

import core.llm.factory.LLMProviderFactory;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Start and stop of everything {@link LlmModule} binds; modules only bind, this does the work.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new LlmModule(), hostModule);
 * LlmService llm = injector.getInstance(LlmService.class);
 * llm.start().await();                      // loads the configuration (fails if invalid), watches the file
 * LLMProviderFactory factory = injector.getInstance(LLMProviderFactory.class);
 * ...
 * llm.stop().await();                        // on shutdown
 * }</pre>
 */
@Singleton
public final class LlmService {
  private final ProviderConfigManager configs;
  private final LLMProviderFactory factory;
  private final StopHooks hooks;

  @Inject
  LlmService(ProviderConfigManager configs, LLMProviderFactory factory, StopHooks hooks) {
    this.configs = configs;
    this.factory = factory; // injected so the factory follows the configuration from the first load
    this.hooks = hooks;
  }

  /**
   * Loads the configuration and starts watching its file. Fails with {@link
   * core.llm.providers.config.ConfigValidationException} listing every problem when it is invalid.
   */
  public Future<Void> start() {
    return configs.start();
  }

  /**
   * Stops watching, closes every provider once its in-flight requests have finished, then what the
   * module created itself (the shared OllamaClient, the default Vert.x), never the host's Vert.x.
   */
  public Future<Void> stop() {
    return factory.close()
        .eventually(configs::stop)
        .eventually(hooks::runAll)
        .transform(ar -> Future.succeededFuture());
  }
}
