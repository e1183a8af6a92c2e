package core.llm.providers.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Holds the live {@link LlmConfig} and hot-reloads it from a file.
 *
 * <pre>{@code
 * ProviderConfigManager configs = ProviderConfigManager.create(vertx, Path.of("llm.yaml"), System::getenv, types);
 * configs.addListener(change -> rebuild(change));   // added / changed / removed provider names
 * configs.start()                                    // loads (fails with ConfigValidationException) and watches
 *     .onSuccess(v -> use(configs.snapshot()));
 * }</pre>
 *
 * <p>Watching polls the file every {@code reload.pollInterval} (default 250ms) with {@code
 * vertx.setPeriodic}; the file is read and parsed on one thread of its own ({@code
 * core-llm-config}, one per Vert.x instance whatever the number of managers), so nothing blocks an
 * event loop and polls do not fill Vert.x's blocking pools with threads. Content is compared by
 * SHA-256, so touching a file without changing it does nothing. A changed file is parsed and
 * validated: if valid it replaces the configuration atomically (one volatile reference) and
 * listeners get the {@link ConfigChange}; if not, the running configuration stays and {@link
 * ConfigReloadListener#onReloadFailed} gets every problem. Without a file the embedded default is
 * used and nothing is watched.
 */
public interface ProviderConfigManager {

  /**
   * @param vertx the Vert.x instance whose timers and file system are used
   * @param file YAML or JSON file; null for the embedded default
   * @param env environment for overrides and key checks
   * @param knownTypes registered provider types (null → {@link ConfigValidator#BUILT_IN_TYPES})
   */
  static ProviderConfigManager create(
      Vertx vertx, Path file, Function<String, String> env, Set<String> knownTypes) {
    return new ProviderConfigManagerImpl(vertx, file, new ConfigLoader(env, knownTypes));
  }

  /** {@link #create(Vertx, Path, Function, Set)} with a fixed environment map. */
  static ProviderConfigManager create(
      Vertx vertx, Path file, Map<String, String> env, Set<String> knownTypes) {
    return new ProviderConfigManagerImpl(vertx, file, ConfigLoader.create(env, knownTypes));
  }

  /** {@link #create(Vertx, Path, Function, Set)} with {@link System#getenv(String)}. */
  static ProviderConfigManager create(Vertx vertx, Path file, Set<String> knownTypes) {
    return create(vertx, file, System::getenv, knownTypes);
  }

  /**
   * Loads the configuration and starts watching (when {@code reload.watch} and there is a file).
   * Fails with {@link ConfigValidationException} when the initial configuration is invalid or
   * unreadable. Calling it again returns the first call's future.
   */
  Future<Void> start();

  /** Stops watching (cancels the timer). The last configuration stays readable. */
  Future<Void> stop();

  /**
   * The configuration in force: one volatile read, for hot paths.
   *
   * @throws IllegalStateException before {@link #start()} succeeded
   */
  LlmConfig snapshot();

  /** The configuration in force; fails with IllegalStateException before start. */
  Future<LlmConfig> current();

  /**
   * The provider of that name in the current configuration; fails with {@link
   * UnknownProviderException} (listing available names) when there is none.
   */
  Future<ProviderConfig> provider(String name);

  /**
   * Re-reads the file now (even when unchanged). Always succeeds with the report: when valid and
   * different the new configuration is in force and listeners were told; when invalid the old one
   * stays and {@code onReloadFailed} listeners were told.
   */
  Future<ValidationReport> reload();

  /** The report of the last load or reload attempt (warnings included). */
  ValidationReport lastReport();

  /** Calls {@code listener} after each applied change. Returns {@code this}. */
  ProviderConfigManager addListener(Consumer<ConfigChange> listener);

  /** Adds a listener told about applied and rejected reloads. Returns {@code this}. */
  ProviderConfigManager addReloadListener(ConfigReloadListener listener);

  /** Removes a listener given to either add method. */
  boolean removeListener(Object listener);

  /** Whether a poll timer is currently scheduled. */
  boolean watching();
}
