package core.llm.cli;

import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ModelRoute;
import core.llm.factory.ProviderContext;
import core.llm.factory.ProviderCreator;
import core.llm.factory.ProviderCreators;
import core.llm.factory.ProviderNotFoundException;
import core.llm.observability.Observability;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.ollama.OllamaProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run of the program uses: its streams and environment (injected, so tests run the
 * program in-process), the terminal flags, and, created on first use, one Vert.x instance, the
 * configuration, the provider factory and the Ollama provider for model management. {@link
 * #close()} releases them all. Used from the CLI's main thread only, which may block on futures: it
 * is never an event loop.
 */
final class CliContext implements AutoCloseable {
  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  final boolean stdinTty;
  final boolean stdoutTty;
  final Interrupts interrupts;

  /** Set from the command line before a command runs. */
  Path configFile;

  String providerName;
  boolean debug;

  /** The model the running command is about: error lines use it ("try `llm pull MODEL`"). */
  String model;

  /**
   * What a "model not found" line suggests instead of pulling it, or null (see {@link Failures}).
   */
  String notFoundHint;

  /** Whether stderr is a terminal (the spinner while an answer has not begun). */
  boolean stderrTty;

  /** Opens the terminal for line editing in an interactive session; null: plain lines. */
  TerminalOpener terminal;

  /** Opens a JLine terminal (the system's, or a test's over streams). */
  interface TerminalOpener {
    org.jline.terminal.Terminal open() throws IOException;
  }

  private Vertx vertx;
  private core.llm.factory.SharedRoutingState shared = core.llm.factory.SharedRoutingState.local();
  private ProviderConfigManager configs;
  private LlmProviderFactory factory;
  private Observability observability;

  /** Native Ollama providers built here, by provider name (management, native generate). */
  private final Map<String, OllamaProvider> ollamas = new LinkedHashMap<>();

  private Map<String, ProviderCreator> creators;

  CliContext(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      boolean stdinTty,
      boolean stdoutTty,
      Interrupts interrupts) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.stdinTty = stdinTty;
    this.stdoutTty = stdoutTty;
    this.interrupts = interrupts;
  }

  /**
   * The terminal's width for progress bars: {@code COLUMNS} when set, else what the {@code llm}
   * script read from the terminal ({@code -Dllm.columns}), else 80.
   */
  int columns() {
    Integer fromEnv = positive(env.get("COLUMNS"));
    if (fromEnv != null) {
      return fromEnv;
    }
    Integer fromTerminal = positive(System.getProperty("llm.columns"));
    return fromTerminal != null ? fromTerminal : 80;
  }

  private static Integer positive(String s) {
    try {
      int n = s == null ? 0 : Integer.parseInt(s.strip());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * What an interactive session reads: a line editor when a terminal can be opened, else plain
   * lines of {@link #in}.
   */
  LineInput lineInput() throws IOException {
    if (terminal == null) {
      return LineInput.plain(in, out);
    }
    return LineInput.jline(terminal.open(), LineInput.historyFile(env), interrupts);
  }

  /**
   * Threads, sized for one program rather than Vert.x's defaults (two event loops per core, 20
   * threads in each blocking pool; a pool starts a thread per task until it reaches its size, so a
   * config poll every 250 ms alone filled both pools of {@code llm serve}): one event loop per
   * core; as many worker threads (CPU work off the loops: large bodies, token counts, config
   * parses) as there are cores, since more could not run at once; one thread for Vert.x's own file
   * reads, which are short and rare.
   */
  private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** Event loops of the Vert.x this program starts: one per core unless a command says. */
  private int eventLoops = CORES;

  /**
   * Sizes the event loop pool of the Vert.x not started yet: {@code llm serve} wants as many as it
   * has servers; a loop no server is bound to serves no request and is one more thread.
   */
  void eventLoops(int n) {
    if (vertx != null) {
      throw new IllegalStateException("eventLoops() after Vert.x was started");
    }
    eventLoops = Math.max(1, n);
  }

  Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx(vertxOptions());
    }
    return vertx;
  }

  VertxOptions vertxOptions() {
    return new VertxOptions()
        .setEventLoopPoolSize(eventLoops)
        .setWorkerPoolSize(Math.max(2, CORES))
        .setInternalBlockingPoolSize(1);
  }

  /**
   * Runs the program on a clustered Vertx whose members share routing state ({@code llm serve} with
   * {@code gateway.cluster}): called before anything else uses Vert.x.
   */
  void clustered(Vertx clustered, core.llm.factory.SharedRoutingState state) {
    if (vertx != null) {
      throw new IllegalStateException("clustered() after Vert.x was started");
    }
    vertx = clustered;
    shared = state;
  }

  Map<String, ProviderCreator> creators() {
    if (creators == null) {
      creators = ProviderCreators.discover();
    }
    return creators;
  }

  /**
   * The configuration file in force: {@code --config}, else {@code
   * $XDG_CONFIG_HOME/core-llm/config.yaml}, else {@code ~/.config/core-llm/config.yaml}; empty
   * means the embedded default (one Ollama at OLLAMA_HOST).
   */
  Optional<Path> configPath() {
    if (configFile != null) {
      return Optional.of(configFile);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      Path p = Path.of(xdg, "core-llm", "config.yaml");
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    // HOME from the injected environment only: tests stay hermetic, main passes the real one.
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home, ".config", "core-llm", "config.yaml");
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The started configuration manager (fails with ConfigValidationException when invalid). */
  ProviderConfigManager configs() {
    if (configs == null) {
      ProviderConfigManager m =
          ProviderConfigManager.create(
              vertx(), configPath().orElse(null), env, creators().keySet());
      m.start().await();
      configs = m;
    }
    return configs;
  }

  LlmConfig config() {
    return configs().snapshot();
  }

  LlmProviderFactory factory() {
    if (factory == null) {
      LlmProviderFactory.Builder b =
          LlmProviderFactory.builder(vertx(), configs())
              .creators(creators())
              .secrets(SecretResolver.fromEnv(env::get))
              .sharedState(shared);
      if (observability != null) {
        b.decorator(observability.decorator()).listener(observability.routingListener());
      }
      factory = b.build();
    }
    return factory;
  }

  /**
   * Observes every provider of the factory (metrics, usage, health) through {@code obs}: for {@code
   * llm serve}, called before anything builds the factory. Other commands stay unobserved, so they
   * start fast and log nothing extra.
   */
  void observe(Observability obs) {
    if (factory != null) {
      throw new IllegalStateException("observe() after the factory was built");
    }
    this.observability = obs;
  }

  /**
   * What chat, generate and embed talk to: the provider named by {@code --provider} (direct, no
   * failover), else the factory's router (mapping, fallback, retries).
   */
  /**
   * The model name to send: aliases are resolved here when {@code --provider} bypasses the router
   * (which resolves them itself), so {@code --provider ollama chat fast} means the alias too.
   */
  String model(String model) {
    return providerName == null ? model : config().resolveAlias(model);
  }

  LlmProvider llm() {
    if (providerName != null) {
      return factory().provider(providerName).await();
    }
    return factory().router();
  }

  /**
   * The Ollama provider for model management: the one named by {@code --provider}, else the default
   * provider when it is an Ollama, else the first enabled Ollama. Built with the same creator the
   * factory uses (same base URL, timeouts and key), but owned here, because the native client is
   * not part of the neutral {@link LlmProvider} interface the factory hands out.
   */
  OllamaProvider ollama() {
    return ollama(ollamaConfig());
  }

  /** The native Ollama provider for that (ollama-type) configuration, built once per name. */
  private OllamaProvider ollama(ProviderConfig pc) {
    OllamaProvider cached = ollamas.get(pc.name());
    if (cached != null) {
      return cached;
    }
    ProviderContext pctx =
        new ProviderContext(vertx(), pc, SecretResolver.fromEnv(env::get).resolve(pc));
    LlmProvider p = creators().get("ollama").create(pctx);
    if (!(p instanceof OllamaProvider op)) {
      throw new IllegalStateException(
          "the 'ollama' provider type is not the built-in Ollama provider");
    }
    ollamas.put(pc.name(), op);
    return op;
  }

  /** Where a request for a model goes first, natively: the Ollama provider and the model name. */
  record NativeOllama(OllamaProvider provider, String model) {}

  /**
   * The Ollama a request for {@code model} goes to, for calls the neutral interface lacks ({@code
   * /api/generate}): the provider named by {@code --provider}, else the first candidate of the
   * router's resolution (no failover: a native call is direct). Empty when that provider is not an
   * Ollama (OpenAI-compatible, Anthropic...), so the caller keeps the neutral path.
   */
  Optional<NativeOllama> nativeOllama(String model) {
    LlmConfig c = config();
    String name;
    String resolved;
    if (providerName != null) {
      name = providerName;
      resolved = model(model);
    } else {
      ModelRoute route = factory().route(model, null);
      if (route.providers().isEmpty()) {
        return Optional.empty();
      }
      name = route.providers().get(0);
      resolved = route.model();
    }
    ProviderConfig pc =
        c.provider(name).orElseThrow(() -> new ProviderNotFoundException(name, c.providerNames()));
    if (!"ollama".equals(pc.type())) {
      return Optional.empty();
    }
    return Optional.of(new NativeOllama(ollama(pc), resolved));
  }

  private ProviderConfig ollamaConfig() {
    LlmConfig c = config();
    if (providerName != null) {
      // The same error as chat's for the same mistake: one message, one exit code.
      ProviderConfig pc =
          c.provider(providerName)
              .orElseThrow(() -> new ProviderNotFoundException(providerName, c.providerNames()));
      if (!"ollama".equals(pc.type())) {
        throw new IllegalArgumentException(
            "provider '"
                + providerName
                + "' is of type "
                + pc.type()
                + "; model management needs an ollama provider");
      }
      return pc;
    }
    Optional<ProviderConfig> byDefault =
        c.provider(c.defaultProvider()).filter(p -> "ollama".equals(p.type()));
    return byDefault
        .or(() -> c.enabledProviders().stream().filter(p -> "ollama".equals(p.type())).findFirst())
        .orElseThrow(() -> new IllegalArgumentException("no ollama provider is configured"));
  }

  /**
   * The base URL error lines should name: the Ollama provider's (what management commands use and
   * what the router's default most likely is), or null when it cannot be worked out.
   */
  String serverUrl() {
    try {
      if (configs == null) {
        return null;
      }
      return ollamaConfig().baseUrl();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    // Best effort and bounded: a failure while closing must not hide the command's own outcome.
    try {
      for (OllamaProvider ollama : ollamas.values()) {
        ollama.lifecycle().ifPresent(l -> l.stop());
        ollama.close().await();
      }
      if (factory != null) {
        factory.close().await();
      }
      if (configs != null) {
        configs.stop().await();
      }
    } catch (RuntimeException ignored) {
      // nothing useful to tell the user
    } finally {
      if (vertx != null) {
        vertx.close().await();
      }
    }
  }
}
