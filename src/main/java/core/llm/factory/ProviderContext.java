package core.llm.factory;

import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.Secret;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProviderCreator} gets: the Vert.x instance to build clients on, the provider's
 * configuration and its API key, already resolved from {@code apiKeyEnv} (empty when none).
 *
 * <p>{@link #toString()} says only whether a key is present; the key leaves its {@link Secret} only
 * where a creator puts it on the wire.
 */
public record ProviderContext(Vertx vertx, ProviderConfig config, Optional<Secret> apiKey) {

  public ProviderContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    apiKey = apiKey == null ? Optional.empty() : apiKey;
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
