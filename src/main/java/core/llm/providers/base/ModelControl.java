package core.llm.providers.base;

import io.vertx.core.Future;
import java.util.List;

/**
 * Model residency for providers that manage models themselves (Ollama): load into memory ahead of
 * use, unload, see what is loaded, and make sure a model is installed.
 */
public interface ModelControl {

  /** Loads the model and keeps it for the server's default keep-alive; completes once loaded. */
  Future<Void> load(String model);

  /**
   * Loads the model with load-time options (Ollama's {@code num_ctx}, {@code num_gpu}...: a copy
   * loaded with other values would be reloaded by the first request that sends these). The default
   * loads without options and refuses non-empty ones.
   */
  default Future<Void> load(String model, java.util.Map<String, Object> options) {
    if (options.isEmpty()) {
      return load(model);
    }
    return Future.failedFuture(
        new UnsupportedOperationException("this provider loads models without options"));
  }

  /** Unloads the model now; completes once the server confirms. */
  Future<Void> unload(String model);

  /** Names of the models loaded right now. */
  Future<List<String>> loadedModels();

  /** Installs the model if it is missing (pulling it), then completes. */
  Future<Void> ensureAvailable(String model);
}
