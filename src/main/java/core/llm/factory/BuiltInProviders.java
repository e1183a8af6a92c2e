package core.llm.factory;

import java.util.Map;

/**
 * The provider types this library ships ({@code ollama}, {@code openai}, {@code anthropic}, {@code
 * mock}). Used by {@link ProviderCreators#discover()} and by {@code core.llm.inject.LlmModule}, which
 * adds each to its {@code MapBinder}.
 *
 * <p>HOOK: the provider implementations live on other branches; after they are merged, return their
 * creators here, e.g. {@code Map.of("ollama", new OllamaCreator(), "openai", ...)}. Until then the
 * map is empty and applications (and tests) register creators themselves.
 */
public final class BuiltInProviders {
  private BuiltInProviders() {}

  /** Type → creator for the built-in provider types (currently none; see the class comment). */
  public static Map<String, ProviderCreator> creators() {
    return Map.of();
  }
}
