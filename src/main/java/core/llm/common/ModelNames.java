package core.llm.common;

import java.util.Locale;
import java.util.Objects;

/**
 * Model-name rules shared by configuration, routing and the providers.
 *
 * <p>Ollama names look like {@code [host/][namespace/]model[:tag][@digest]}; the tag defaults to
 * {@code latest}, the host to {@code registry.ollama.ai} and the namespace to {@code library}, and
 * lookups are case-insensitive. So {@code llama3.2}, {@code llama3.2:latest}, {@code
 * library/llama3.2} and {@code registry.ollama.ai/library/LLaMA3.2:latest} all name one model.
 *
 * <ul>
 *   <li>{@link #normalize(String)}: trimmed, tag added when absent, everything else (host,
 *       namespace, case, digest) kept as written. Use it for what you send to Ollama.
 *   <li>{@link #canonical(String)}: the comparison key: lower-cased, default host and namespace
 *       dropped, tag added. Use it as a map key.
 *   <li>{@link #sameModel(String, String)}: {@code canonical(a).equals(canonical(b))}. Safe for
 *       non-Ollama names too ({@code gpt-4o}, {@code claude-sonnet-4-5}, Hugging Face ids such as
 *       {@code Qwen/Qwen2.5-7B-Instruct} on vLLM): they only gain a {@code :latest} on both sides,
 *       so {@code x} and {@code x:latest} match and nothing else changes.
 * </ul>
 */
public final class ModelNames {
  /** Tag Ollama assumes when a name has none. */
  public static final String DEFAULT_TAG = "latest";

  /** Registry host Ollama assumes when a name has none. */
  public static final String DEFAULT_HOST = "registry.ollama.ai";

  /** Namespace Ollama assumes when a name has none. */
  public static final String DEFAULT_NAMESPACE = "library";

  private ModelNames() {}

  /**
   * Trims and adds {@code :latest} when the name has no tag; host, namespace, case and an
   * {@code @digest} are kept. A null or blank name is returned trimmed (empty), not invented.
   */
  public static String normalize(String name) {
    if (name == null) {
      return "";
    }
    String s = name.strip();
    if (s.isEmpty()) {
      return s;
    }
    Parts p = split(s);
    return p.path
        + ":"
        + (p.tag == null ? DEFAULT_TAG : p.tag)
        + (p.digest == null ? "" : "@" + p.digest);
  }

  /**
   * The comparison form: {@link #normalize normalized}, lower-cased, with a leading {@code
   * registry.ollama.ai/} and {@code library/} removed. {@code canonical("Library/Llama3.2")} is
   * {@code llama3.2:latest}.
   */
  public static String canonical(String name) {
    if (name == null) {
      return "";
    }
    // every request asks several times (routing, residency, the tracker) for the same few names
    String known = CANONICAL.get(name);
    if (known != null) {
      return known;
    }
    String n = canonicalOf(name);
    if (name.length() > CANONICAL_MAX_LENGTH) {
      return n; // a caller's hostile name is not kept
    }
    if (CANONICAL.size() >= CANONICAL_MAX) {
      CANONICAL.clear(); // a bound, not an LRU: past this many distinct names, start again
    }
    CANONICAL.put(name, n);
    return n;
  }

  /** Names already made {@link #canonical}: a pure function of the name, so never stale. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> CANONICAL =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int CANONICAL_MAX = 4096;

  private static final int CANONICAL_MAX_LENGTH = 256;

  private static String canonicalOf(String name) {
    String n = normalize(name).toLowerCase(Locale.ROOT);
    if (n.isEmpty()) {
      return n;
    }
    if (n.startsWith(DEFAULT_HOST + "/")) {
      n = n.substring(DEFAULT_HOST.length() + 1);
    }
    if (n.startsWith(DEFAULT_NAMESPACE + "/")
        && n.indexOf('/', DEFAULT_NAMESPACE.length() + 1) < 0) {
      n = n.substring(DEFAULT_NAMESPACE.length() + 1);
    }
    return n;
  }

  /** Whether two names denote the same model (see {@link #canonical}); two nulls are the same. */
  public static boolean sameModel(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    return canonical(a).equals(canonical(b));
  }

  /** The tag of a name ({@code latest} when absent). */
  public static String tag(String name) {
    String t = split(Objects.requireNonNullElse(name, "").strip()).tag;
    return t == null ? DEFAULT_TAG : t;
  }

  /** Whether the name carries an explicit tag. */
  public static boolean hasExplicitTag(String name) {
    return name != null && split(name.strip()).tag != null;
  }

  private record Parts(String path, String tag, String digest) {}

  private static Parts split(String s) {
    String digest = null;
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      digest = s.substring(at + 1);
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    String tag = null;
    // A colon before the last slash belongs to a host:port, not to a tag.
    if (colon > slash && colon < s.length() - 1) {
      tag = s.substring(colon + 1);
      s = s.substring(0, colon);
    } else if (colon > slash) { // trailing ':' with nothing after it
      s = s.substring(0, colon);
    }
    return new Parts(s, tag, digest);
  }
}
