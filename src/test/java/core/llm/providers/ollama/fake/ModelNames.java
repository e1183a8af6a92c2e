package core.llm.providers.ollama.fake;

import java.util.Locale;

/** Model-name helpers following Ollama's grammar {@code [host/][namespace/]model[:tag]}. */
final class ModelNames {
  private ModelNames() {}

  /** Display name: default host/namespace stripped, {@code :latest} added when no tag is given. */
  static String normalise(String name) {
    String n = name.trim();
    if (n.startsWith("registry.ollama.ai/")) {
      n = n.substring("registry.ollama.ai/".length());
    }
    if (n.startsWith("library/")) {
      n = n.substring("library/".length());
    }
    int slash = n.lastIndexOf('/');
    if (n.indexOf(':', slash + 1) < 0) {
      n = n + ":latest";
    }
    return n;
  }

  /** Case-insensitive lookup key. */
  static String key(String name) {
    return normalise(name).toLowerCase(Locale.ROOT);
  }

  /**
   * Fully qualified form used in capability errors: {@code registry.ollama.ai/library/x:latest}.
   */
  static String full(String name) {
    String n = normalise(name);
    long slashes = n.chars().filter(c -> c == '/').count();
    if (slashes == 0) {
      return "registry.ollama.ai/library/" + n;
    }
    if (slashes == 1) {
      return "registry.ollama.ai/" + n;
    }
    return n;
  }
}
