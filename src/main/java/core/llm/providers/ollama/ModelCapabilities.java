package core.llm.providers.ollama;

import core.llm.providers.ollama.models.ShowResponse;
import java.util.List;
import java.util.Set;

/**
 * What a model can do, from {@code /api/show} ({@code capabilities}, server 0.6.4 and later).
 *
 * @param model the model name, normalised
 * @param capabilities the capability strings ({@link
 *     core.llm.providers.ollama.models.Capabilities}), or null when the server did not say (older
 *     than 0.6.4): then nothing is checked
 * @param contextLength the trained context length from {@code model_info}, or null
 */
public record ModelCapabilities(String model, Set<String> capabilities, Long contextLength) {

  static ModelCapabilities from(String model, ShowResponse show) {
    List<String> caps = show.capabilities();
    return new ModelCapabilities(
        model, caps == null ? null : Set.copyOf(caps), show.contextLength());
  }

  /** Whether the server reported capabilities at all. */
  public boolean known() {
    return capabilities != null;
  }

  /**
   * True when the capability is listed, or when capabilities are unknown (benefit of the doubt).
   */
  public boolean has(String capability) {
    return capabilities == null || capabilities.contains(capability);
  }
}
