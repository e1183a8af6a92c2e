package core.llm.observability;

import core.llm.providers.ollama.ModelEvent;
import core.llm.providers.ollama.ModelState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which models are loaded on which Ollama host, kept from {@link ModelEvent}s (give {@link
 * #listener()} to {@code ModelLifecycle.addListener}, or let {@link
 * Observability#listenModelEvents} follow the event bus at {@code core.llm.models}). LOADED and
 * UNLOADING count as loaded (the memory is still in use); any other state does not. Hosts appear
 * without their user info.
 */
public final class LoadedModels {
  private final MetricsSink metrics;
  private final ConcurrentHashMap<String, Set<String>> byHost = new ConcurrentHashMap<>();
  private final Consumer<ModelEvent> listener = this::onEvent;

  LoadedModels(MetricsSink metrics) {
    this.metrics = metrics;
  }

  /** The listener to register on a {@code ModelLifecycle} or {@code ModelTracker}. */
  public Consumer<ModelEvent> listener() {
    return listener;
  }

  /** Host → loaded models, sorted. */
  public Map<String, List<String>> snapshot() {
    Map<String, List<String>> out = new TreeMap<>();
    byHost.forEach((host, models) -> out.put(host, models.stream().sorted().toList()));
    return out;
  }

  /** Applies one event. */
  public void onEvent(ModelEvent e) {
    String host = stripUserInfo(e.host());
    Set<String> models = byHost.computeIfAbsent(host, h -> ConcurrentHashMap.newKeySet());
    boolean loaded = e.to() == ModelState.LOADED || e.to() == ModelState.UNLOADING;
    if (loaded) {
      models.add(e.model());
    } else {
      models.remove(e.model());
    }
    metrics.modelsLoaded(host, models.size());
  }

  /**
   * {@code http://user:pass@host:1} → {@code http://host:1}: a host label must not carry a
   * password.
   */
  static String stripUserInfo(String url) {
    if (url == null) {
      return "unknown";
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int slash = url.indexOf('/', start);
    int at = url.lastIndexOf('@', slash < 0 ? url.length() - 1 : slash);
    return at >= start ? url.substring(0, start) + url.substring(at + 1) : url;
  }
}
