package core.llm.factory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Assembles the type → creator registry for applications without Guice: the {@link
 * BuiltInProviders} plus every {@link ProviderCreator} found by {@link ServiceLoader}. Later
 * entries replace earlier ones of the same type, so a discovered creator can replace a built-in
 * one.
 */
public final class ProviderCreators {
  private ProviderCreators() {}

  /** Built-ins, then those discovered with the context class loader (or this class's loader). */
  public static Map<String, ProviderCreator> discover() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return discover(cl == null ? ProviderCreators.class.getClassLoader() : cl);
  }

  /** Built-ins, then those {@link ServiceLoader} finds with {@code loader}. */
  public static Map<String, ProviderCreator> discover(ClassLoader loader) {
    Map<String, ProviderCreator> out = new LinkedHashMap<>(BuiltInProviders.creators());
    for (ProviderCreator c : ServiceLoader.load(ProviderCreator.class, loader)) {
      out.put(c.type(), c);
    }
    return Map.copyOf(out);
  }

  /** A registry from explicit creators, keyed by their {@link ProviderCreator#type()}. */
  public static Map<String, ProviderCreator> of(Collection<? extends ProviderCreator> creators) {
    Map<String, ProviderCreator> out = new LinkedHashMap<>();
    creators.forEach(c -> out.put(c.type(), c));
    return Map.copyOf(out);
  }
}
