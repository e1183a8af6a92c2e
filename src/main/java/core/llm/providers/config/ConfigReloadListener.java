package core.llm.providers.config;

/**
 * Told about every reload outcome. Called on a Vert.x context (the one that started the manager, or
 * the one that completed {@link ProviderConfigManager#reload()}); must not block. An exception
 * thrown by a listener is caught and does not affect the others.
 */
public interface ConfigReloadListener {
  /**
   * A valid, different configuration is now in force ({@link ProviderConfigManager#snapshot()}).
   */
  void onReload(ConfigChange change);

  /**
   * A changed file (or an explicit reload) was rejected; the previous configuration stays in force.
   * Called once per distinct rejected content, not on every poll.
   */
  default void onReloadFailed(ValidationReport report) {}
}
