package core.llm.providers.config;

import java.util.Optional;
import java.util.function.Function;

/** Resolution of {@link ProviderConfig#apiKeyEnv()}; never logs or returns the value unwrapped. */
public final class ApiKeys {
  private ApiKeys() {}

  /**
   * The key named by {@code provider.apiKeyEnv()} in {@code env}: empty when no variable is named,
   * the name is not a valid variable name, or the variable is unset or blank. Surrounding spaces
   * are trimmed.
   */
  public static Optional<Secret> resolve(ProviderConfig provider, Function<String, String> env) {
    if (provider == null || env == null) {
      return Optional.empty();
    }
    String name = provider.apiKeyEnv();
    if (name == null || !Redaction.ENV_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Secret.of(value.strip()));
  }

  /** Whether {@link #resolve} would find a key. */
  public static boolean present(ProviderConfig provider, Function<String, String> env) {
    return resolve(provider, env).isPresent();
  }
}
