package core.llm.providers.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a provider's credential. The default resolves {@link ProviderConfig#apiKeyEnv()} in an
 * environment function; bind another (a vault, a test stub) to change where keys come from.
 * Implementations must never log the value.
 */
@FunctionalInterface
public interface SecretResolver {
  /** The key for that provider, empty when it has none or the variable is unset/blank. */
  Optional<Secret> resolve(ProviderConfig provider);

  /** Resolves {@code apiKeyEnv} in {@code env}. */
  static SecretResolver fromEnv(Function<String, String> env) {
    return p -> ApiKeys.resolve(p, env);
  }

  /** Resolves {@code apiKeyEnv} in {@link System#getenv(String)}. */
  static SecretResolver system() {
    return fromEnv(System::getenv);
  }
}
