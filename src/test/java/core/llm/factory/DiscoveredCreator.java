package core.llm.factory;

import core.llm.providers.base.LlmProvider;

/**
 * Registered in test META-INF/services: proves {@link ProviderCreators#discover()} finds creators.
 */
public final class DiscoveredCreator implements ProviderCreator {
  @Override
  public String type() {
    return "discovered";
  }

  @Override
  public LlmProvider create(ProviderContext ctx) {
    return new FakeProvider(ctx, new java.util.concurrent.ConcurrentLinkedQueue<>(), () -> 0);
  }
}
