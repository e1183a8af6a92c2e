package core.llm.factory;

import core.llm.providers.base.LlmProvider;

/**
 * Builds the {@link LlmProvider} for one provider type ({@code ollama}, {@code openai}, ...). This
 * is the open end of the factory: a new type is a new creator, registered with Guice ({@code
 * MapBinder<String, ProviderCreator>}, key = {@link #type()}) or, without Guice, listed in {@code
 * META-INF/services/core.llm.factory.ProviderCreator} for {@link java.util.ServiceLoader}.
 *
 * <p>{@link #create} is called once per provider configuration (again after a reload changed it),
 * on whatever thread asked first. It must be fast and do no I/O: build clients, do not connect. It
 * may throw; the factory reports the failure as the reason that provider could not be used.
 */
public interface ProviderCreator {

  /** The type name this creator handles, as written in {@code providers[].type}. */
  String type();

  /**
   * A new provider for {@code ctx.config()}; its {@link LlmProvider#name()} must be the config's
   * name.
   */
  LlmProvider create(ProviderContext ctx);
}
