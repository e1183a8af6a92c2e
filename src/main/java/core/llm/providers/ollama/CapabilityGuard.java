package core.llm.providers.ollama;

import core.llm.common.CapabilityMissingException;
import core.llm.common.ErrorContext;
import core.llm.common.Futures;
import core.llm.common.ModelNames;
import core.llm.providers.ollama.models.Capabilities;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.OllamaVersion;
import core.llm.providers.ollama.models.Think;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fails a request before it is sent when the model or the server cannot serve it, with a message
 * that says what to change, instead of a server 400 after a possibly long model load.
 *
 * <p>Capabilities come from {@code /api/show}, cached per model (one call per model); the version
 * from {@code /api/version}, cached once. Failed look-ups are not cached. When the server gives no
 * capabilities (older than 0.6.4) or an unparsable version, that check is skipped rather than
 * guessed. Version gates follow the reference cheat sheet (§13):
 *
 * <table>
 *   <caption>gates</caption>
 *   <tr><td>think</td><td>0.9.0</td></tr>
 *   <tr><td>think "max"</td><td>0.22.0</td></tr>
 *   <tr><td>tool_name on messages</td><td>0.9.6</td></tr>
 *   <tr><td>truncate / shift on chat and generate</td><td>0.12.4</td></tr>
 *   <tr><td>tool_call_id and tool-call ids</td><td>0.12.10</td></tr>
 *   <tr><td>logprobs / top_logprobs</td><td>0.12.11</td></tr>
 *   <tr><td>embed dimensions</td><td>0.11.11</td></tr>
 *   <tr><td>/api/embed, suffix, tools</td><td>0.2.6</td></tr>
 * </table>
 */
public final class CapabilityGuard {
  private static final String PROVIDER = "ollama";

  private final OllamaClient client;
  private final boolean capabilityChecks;
  private final boolean versionChecks;
  private final Map<String, Future<ModelCapabilities>> capabilities = new ConcurrentHashMap<>();
  private volatile Future<OllamaVersion> version;

  public CapabilityGuard(OllamaClient client, boolean capabilityChecks, boolean versionChecks) {
    this.client = client;
    this.capabilityChecks = capabilityChecks;
    this.versionChecks = versionChecks;
  }

  /** The model's capabilities, from the cache or {@code /api/show}. */
  public Future<ModelCapabilities> capabilities(String model) {
    String key = ModelNames.canonical(model);
    Future<ModelCapabilities> known = capabilities.get(key);
    if (known != null && known.succeeded()) {
      return known; // asked on every request: no lambda, no listener once it is cached
    }
    Future<ModelCapabilities> f =
        capabilities.computeIfAbsent(
            key,
            k ->
                client
                    .show(ModelNames.normalize(model))
                    .map(s -> ModelCapabilities.from(ModelNames.normalize(model), s)));
    f.onFailure(e -> capabilities.remove(key, f));
    return f;
  }

  /** The server version, from the cache or {@code /api/version}; null if it cannot be parsed. */
  public Future<OllamaVersion> serverVersion() {
    Future<OllamaVersion> f = version;
    if (f == null) {
      synchronized (this) {
        if (version == null) {
          version =
              client
                  .version()
                  .map(
                      v -> {
                        try {
                          return v.ollamaVersion();
                        } catch (IllegalArgumentException e) {
                          return null;
                        }
                      });
          Future<OllamaVersion> mine = version;
          mine.onFailure(
              e -> {
                synchronized (this) {
                  if (version == mine) {
                    version = null;
                  }
                }
              });
        }
        f = version;
      }
    }
    return f;
  }

  /** Forgets a model's capabilities (after a pull or create replaced it). */
  public void invalidate(String model) {
    capabilities.remove(ModelNames.canonical(model));
  }

  /** Forgets everything (after a server upgrade). */
  public synchronized void invalidateAll() {
    capabilities.clear();
    version = null;
  }

  /**
   * Checks a chat request: completion, tools, thinking, vision; think, truncate, ids, logprobs
   * gates.
   */
  public Future<Void> check(ChatRequest r) {
    List<String> needs = new ArrayList<>(2);
    List<Gate> gates = new ArrayList<>(2);
    boolean hasMessages = r.messages() != null && !r.messages().isEmpty();
    if (hasMessages) {
      needs.add(Capabilities.COMPLETION);
    }
    if (r.tools() != null && !r.tools().isEmpty()) {
      needs.add(Capabilities.TOOLS);
      gates.add(new Gate("tools", "0.2.6"));
    }
    think(r.think(), needs, gates);
    common(r.truncate(), r.shift(), r.logprobs(), r.topLogprobs(), gates);
    if (hasMessages) {
      for (Message m : r.messages()) {
        if (m.images() != null && !m.images().isEmpty() && !needs.contains(Capabilities.VISION)) {
          needs.add(Capabilities.VISION);
        }
        if (m.toolName() != null) {
          gates.add(new Gate("tool_name on messages", "0.9.6"));
        }
        boolean ids =
            m.toolCallId() != null
                || m.toolCalls() != null && m.toolCalls().stream().anyMatch(c -> c.id() != null);
        if (ids) {
          gates.add(new Gate("tool_call_id and tool-call ids", "0.12.10"));
        }
      }
    }
    return run("POST /api/chat", r.model(), needs, gates);
  }

  /** Checks a generate request: completion, insert (suffix), vision, thinking, and the gates. */
  public Future<Void> check(GenerateRequest r) {
    List<String> needs = new ArrayList<>();
    List<Gate> gates = new ArrayList<>();
    boolean hasPrompt = r.prompt() != null && !r.prompt().isEmpty();
    boolean hasSuffix = r.suffix() != null && !r.suffix().isEmpty();
    if (hasPrompt || hasSuffix) {
      needs.add(Capabilities.COMPLETION);
    }
    if (hasSuffix) {
      needs.add(Capabilities.INSERT);
      gates.add(new Gate("suffix", "0.2.6"));
    }
    if (r.images() != null && !r.images().isEmpty()) {
      needs.add(Capabilities.VISION);
    }
    think(r.think(), needs, gates);
    common(r.truncate(), r.shift(), r.logprobs(), r.topLogprobs(), gates);
    return run("POST /api/generate", r.model(), needs, gates);
  }

  /** Checks an embed request: the embedding capability, /api/embed and dimensions gates. */
  public Future<Void> check(EmbedRequest r) {
    List<Gate> gates = new ArrayList<>(List.of(new Gate("/api/embed", "0.2.6")));
    if (r.dimensions() != null) {
      gates.add(new Gate("embed dimensions", "0.11.11"));
    }
    List<String> needs = r.input() == null ? List.of() : List.of(Capabilities.EMBEDDING);
    return run("POST /api/embed", r.model(), needs, gates);
  }

  private record Gate(String feature, String since) {}

  private static void think(Think think, List<String> needs, List<Gate> gates) {
    if (think == null) {
      return;
    }
    gates.add(new Gate("think", "0.9.0"));
    if (think.level().filter("max"::equals).isPresent()) {
      gates.add(new Gate("think \"max\"", "0.22.0"));
    }
    if (think.isEnabled()) {
      needs.add(Capabilities.THINKING);
    }
  }

  private static void common(
      Boolean truncate, Boolean shift, Boolean logprobs, Integer top, List<Gate> gates) {
    if (truncate != null || shift != null) {
      gates.add(new Gate("truncate/shift", "0.12.4"));
    }
    if (Boolean.TRUE.equals(logprobs) || top != null) {
      gates.add(new Gate("logprobs", "0.12.11"));
    }
  }

  private Future<Void> run(String endpoint, String model, List<String> needs, List<Gate> gates) {
    Future<Void> versionOk =
        !versionChecks || gates.isEmpty()
            ? Future.succeededFuture()
            : serverVersion()
                .compose(
                    v -> {
                      for (Gate g : gates) {
                        if (v != null && !v.isAtLeast(g.since())) {
                          return Future.failedFuture(
                              new ServerTooOldException(
                                  g.feature(),
                                  g.since(),
                                  v.toString(),
                                  ErrorContext.of(PROVIDER, endpoint)));
                        }
                      }
                      return Future.succeededFuture();
                    });
    if (!capabilityChecks || needs.isEmpty()) {
      return versionOk;
    }
    return Futures.then(
        Futures.then(versionOk, x -> capabilities(model)), caps -> missing(caps, needs, endpoint));
  }

  private static Future<Void> missing(ModelCapabilities caps, List<String> needs, String endpoint) {
    for (String need : needs) {
      if (!caps.has(need)) {
        return Future.failedFuture(
            new CapabilityMissingException(
                "model \""
                    + caps.model()
                    + "\" does not support "
                    + need
                    + " (its capabilities: "
                    + String.join(", ", caps.capabilities().stream().sorted().toList())
                    + "); pick a model that has it, or remove "
                    + what(need)
                    + " from the request",
                need,
                ErrorContext.of(PROVIDER, endpoint)));
      }
    }
    return Future.succeededFuture();
  }

  private static String what(String capability) {
    return switch (capability) {
      case Capabilities.TOOLS -> "the tools";
      case Capabilities.THINKING -> "think";
      case Capabilities.VISION -> "the images";
      case Capabilities.INSERT -> "the suffix";
      case Capabilities.EMBEDDING -> "the embedding call";
      default -> "what needs " + capability;
    };
  }
}
