package core.llm.factory;

import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.Secret;
import core.llm.providers.config.SecretResolver;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link ProviderCreator} gets: the Vert.x instance to build clients on, the provider's
 * configuration and its API key, already resolved from {@code apiKeyEnv} (empty when none).
 *
 * <p>{@link #toString()} says only whether a key is present; the key leaves its {@link Secret} only
 * where a creator puts it on the wire.
 */
public record ProviderContext(
    Vertx vertx,
    ProviderConfig config,
    Optional<Secret> apiKey,
    Function<String, Optional<Secret>> variables) {

  /**
   * @param variables resolves the other secrets the entry names by environment variable (proxy and
   *     trust-store passwords, {@code http.headersEnv}), the same way as the API key; null: the
   *     process environment
   */
  public ProviderContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    apiKey = apiKey == null ? Optional.empty() : apiKey;
    if (variables == null) {
      SecretResolver system = SecretResolver.system();
      variables = var -> system.resolve(config.withApiKeyEnv(var));
    }
  }

  /** Secrets from the process environment. */
  public ProviderContext(Vertx vertx, ProviderConfig config, Optional<Secret> apiKey) {
    this(vertx, config, apiKey, null);
  }

  /** The secret held by the environment variable {@code name}, empty when unset or blank. */
  public Optional<Secret> secret(String name) {
    return name == null ? Optional.empty() : variables.apply(name);
  }

  /** Shortcut for {@code config().name()}. */
  public String name() {
    return config.name();
  }

  @Override
  public String toString() {
    return "ProviderContext[provider="
        + config.name()
        + ", type="
        + config.type()
        + ", apiKey="
        + (apiKey.isPresent() ? "present" : "absent")
        + "]";
  }
}
