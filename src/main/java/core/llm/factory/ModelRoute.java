package core.llm.factory;

import java.util.List;

/**
 * Where requests for a model go: {@link LlmProviderFactory#route(String, String)}.
 *
 * @param model the model sent to the provider (aliases resolved)
 * @param providers the candidate providers in the order routing tries them; never empty
 */
public record ModelRoute(String model, List<String> providers) {
  public ModelRoute {
    providers = List.copyOf(providers);
  }
}
