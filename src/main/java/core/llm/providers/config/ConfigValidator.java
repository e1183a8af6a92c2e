package core.llm.providers.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Semantic checks of an {@link LlmConfig}; reports every problem at once, each with its path.
 * Messages name environment variables but never contain their values.
 *
 * <p>Missing key variable ({@code apiKeyEnv} set but the variable unset or blank): a warning for
 * every enabled provider but {@code ollama} and {@code mock} (which need no key); the provider is
 * then unavailable (its creation fails with "no key") while the rest of the configuration works.
 */
public final class ConfigValidator {
  /** The provider types this library ships. */
  public static final Set<String> BUILT_IN_TYPES = Set.of("anthropic", "mock", "ollama", "openai");

  private static final Set<String> KEY_REQUIRED = Set.of("openai", "anthropic");
  private static final Set<String> KEY_IGNORED = Set.of("ollama", "mock");
  private static final Duration MIN_POLL = Duration.ofMillis(10);

  private final Set<String> knownTypes;
  private final Function<String, String> env;

  /**
   * @param knownTypes registered provider types (null → {@link #BUILT_IN_TYPES})
   * @param env environment lookup used only to test whether key variables are set
   */
  public ConfigValidator(Set<String> knownTypes, Function<String, String> env) {
    this.knownTypes = knownTypes == null ? BUILT_IN_TYPES : Set.copyOf(knownTypes);
    this.env = env == null ? k -> null : env;
  }

  /**
   * The message for an unknown type, exactly: {@code Unknown LLM provider type 'antropic'.
   * Available: [anthropic, mock, ollama, openai]} (sorted). The factory should use it too.
   */
  public static String unknownTypeMessage(String type, Set<String> knownTypes) {
    return "Unknown LLM provider type "
        + Redaction.quote(type)
        + ". Available: "
        + new TreeSet<>(knownTypes);
  }

  public ValidationReport validate(LlmConfig config) {
    List<ConfigProblem> out = new ArrayList<>();
    validate(config, out);
    return ValidationReport.of(out);
  }

  void validate(LlmConfig c, List<ConfigProblem> out) {
    List<ProviderConfig> ps = c.providers();
    if (ps.isEmpty()) {
      out.add(ConfigProblem.error("providers", "at least one provider is required"));
    }
    Map<String, Integer> firstIndex = new HashMap<>();
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < ps.size(); i++) {
      ProviderConfig p = ps.get(i);
      String path = "providers[" + i + "]";
      if (p.name() == null || p.name().isBlank()) {
        out.add(ConfigProblem.error(path + ".name", "required"));
      } else {
        Integer prev = firstIndex.putIfAbsent(p.name(), i);
        if (prev != null) {
          out.add(
              ConfigProblem.error(
                  path + ".name",
                  "duplicate provider name "
                      + Redaction.quote(p.name())
                      + " (also providers["
                      + prev
                      + "])"));
        }
        names.add(p.name());
      }
      provider(p, path, out);
    }

    String available = ". Available: " + names;
    if (c.defaultProvider() != null) {
      if (!names.contains(c.defaultProvider())) {
        out.add(
            ConfigProblem.error(
                "defaultProvider",
                "unknown provider " + Redaction.quote(c.defaultProvider()) + available));
      } else if (!c.provider(c.defaultProvider()).map(ProviderConfig::enabled).orElse(true)) {
        out.add(
            ConfigProblem.warning(
                "defaultProvider",
                "provider " + Redaction.quote(c.defaultProvider()) + " is disabled"));
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.fallback().size(); i++) {
      String f = c.fallback().get(i);
      if (!names.contains(f)) {
        out.add(
            ConfigProblem.error(
                "fallback[" + i + "]", "unknown provider " + Redaction.quote(f) + available));
      } else if (!seen.add(f)) {
        out.add(
            ConfigProblem.warning(
                "fallback[" + i + "]", "provider " + Redaction.quote(f) + " listed twice"));
      }
    }
    c.modelMapping()
        .forEach(
            (model, provider) -> {
              String path = ConfigBinder.mapPath("modelMapping", model);
              if (model.isBlank()) {
                out.add(ConfigProblem.error(path, "empty model name"));
              }
              if (!names.contains(provider)) {
                out.add(
                    ConfigProblem.error(
                        path, "unknown provider " + Redaction.quote(provider) + available));
              }
            });
    c.aliases()
        .forEach(
            (alias, model) -> {
              String path = ConfigBinder.mapPath("aliases", alias);
              if (alias.isBlank() || model == null || model.isBlank()) {
                out.add(ConfigProblem.error(path, "alias and model must not be empty"));
              } else if (cycles(c, alias)) {
                out.add(ConfigProblem.error(path, "alias cycle"));
              }
            });
    routing(c.routing(), out);
    ReloadConfig r = c.reload();
    if (r.pollInterval().compareTo(MIN_POLL) < 0) {
      out.add(ConfigProblem.error("reload.pollInterval", "must be at least 10ms"));
    }
  }

  private void provider(ProviderConfig p, String path, List<ConfigProblem> out) {
    String type = p.type();
    if (type == null || type.isBlank()) {
      out.add(
          ConfigProblem.error(path + ".type", "required. Available: " + new TreeSet<>(knownTypes)));
    } else if (!knownTypes.contains(type)) {
      out.add(ConfigProblem.error(path + ".type", unknownTypeMessage(type, knownTypes)));
    }
    if (p.baseUrl() != null) {
      String problem = urlProblem(p.type(), p.baseUrl());
      if (problem != null) {
        out.add(ConfigProblem.error(path + ".baseUrl", problem));
      }
    }
    if (p.apiKeyEnv() != null) {
      String var = p.apiKeyEnv();
      if (!Redaction.ENV_NAME.matcher(var).matches()) {
        // Do not echo it: a key pasted here by mistake must not end up in a log.
        out.add(
            ConfigProblem.error(
                path + ".apiKeyEnv",
                "does not look like an environment variable name (upper-case letters, digits and _); if it"
                    + " is the key itself, put the key in a variable and name the variable here"));
      } else {
        String value = env.apply(var);
        if (value == null || value.isBlank()) {
          String msg = "environment variable " + var + " is not set";
          String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
          if (KEY_REQUIRED.contains(t) && p.enabled()) {
            out.add(
                ConfigProblem.warning(
                    path + ".apiKeyEnv", msg + ": this provider is unavailable until it is"));
          } else if (!KEY_IGNORED.contains(t) && p.enabled()) {
            out.add(ConfigProblem.warning(path + ".apiKeyEnv", msg));
          }
        }
      }
    }
    TimeoutConfig t = p.timeouts();
    positive(t.connect(), path + ".timeouts.connect", out);
    positive(t.firstByte(), path + ".timeouts.firstByte", out);
    positive(t.idle(), path + ".timeouts.idle", out);
    positive(t.total(), path + ".timeouts.total", out);
    if (p.maxRetries() != null && p.maxRetries() < 0) {
      out.add(ConfigProblem.error(path + ".maxRetries", "must be >= 0"));
    }
    if (p.weight() < 0) {
      out.add(ConfigProblem.error(path + ".weight", "must be >= 0"));
    }
    for (int j = 0; j < p.models().size(); j++) {
      if (p.models().get(j) == null || p.models().get(j).isBlank()) {
        out.add(ConfigProblem.error(path + ".models[" + j + "]", "empty model name"));
      }
    }
    if (p.options().containsKey(LifecycleConfig.KEY)) {
      if ("ollama".equalsIgnoreCase(String.valueOf(type))) {
        LifecycleConfig.parse(
            p.options().get(LifecycleConfig.KEY), path + ".options." + LifecycleConfig.KEY, out);
      } else {
        out.add(
            ConfigProblem.warning(
                path + ".options." + LifecycleConfig.KEY,
                "only ollama providers manage model residency; ignored for type " + type));
      }
    }
    if (p.options().containsKey("parallel")) {
      Object parallel = p.options().get("parallel");
      if (!(parallel instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
        out.add(
            ConfigProblem.error(
                path + ".options.parallel",
                "must be a whole number >= 1 (requests the host serves at once per model, as"
                    + " OLLAMA_NUM_PARALLEL)"));
      }
    }
    if (p.options().containsKey("contextLength")) {
      Object length = p.options().get("contextLength");
      if (!(length instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
        out.add(
            ConfigProblem.error(
                path + ".options.contextLength",
                "must be a whole number >= 1 (the context a request without num_ctx runs with on"
                    + " this server, as OLLAMA_CONTEXT_LENGTH)"));
      }
    }
    http(p.http(), path + "." + HttpConfig.KEY, p.enabled(), out);
    for (String k : p.options().keySet()) {
      if (Redaction.looksSecret(k)) {
        out.add(
            ConfigProblem.error(
                path + ".options." + k,
                "credentials do not belong in the file: put the key in an environment variable and name it in apiKeyEnv"));
      }
    }
  }

  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> PROXY_TYPES = Set.of("HTTP", "SOCKS4", "SOCKS5");
  private static final Set<String> TRUST_STORE_TYPES = Set.of("PEM", "JKS", "PKCS12");

  /** The {@code http} block: header names, secrets only by variable name, proxy and TLS. */
  private void http(HttpConfig h, String path, boolean enabled, List<ConfigProblem> out) {
    h.headers()
        .forEach(
            (name, value) -> {
              String at = ConfigBinder.mapPath(path + ".headers", name);
              if (!HEADER_NAME.matcher(name).matches()) {
                out.add(ConfigProblem.error(at, "not a valid header name"));
              } else if (Redaction.looksSecret(name)
                  || core.llm.providers.spi.TransportOptions.isCredentialHeader(name)) {
                out.add(
                    ConfigProblem.error(
                        at,
                        "credentials do not belong in the file: put the value in an environment"
                            + " variable and name it under "
                            + path
                            + ".headersEnv"));
              }
            });
    h.headersEnv()
        .forEach(
            (name, var) -> {
              String at = ConfigBinder.mapPath(path + ".headersEnv", name);
              if (!HEADER_NAME.matcher(name).matches()) {
                out.add(ConfigProblem.error(at, "not a valid header name"));
              }
              envVariable(var, at, enabled, out);
            });
    HttpConfig.Proxy proxy = h.proxy();
    if (proxy != null) {
      if (proxy.host() == null || proxy.host().isBlank()) {
        out.add(ConfigProblem.error(path + ".proxy.host", "required"));
      }
      if (proxy.port() == null) {
        out.add(ConfigProblem.error(path + ".proxy.port", "required"));
      } else if (proxy.port() < 1 || proxy.port() > 65535) {
        out.add(ConfigProblem.error(path + ".proxy.port", "must be a port number (1 to 65535)"));
      }
      if (proxy.type() != null && !PROXY_TYPES.contains(proxy.type().toUpperCase(Locale.ROOT))) {
        out.add(
            ConfigProblem.error(
                path + ".proxy.type",
                "unknown proxy type "
                    + Redaction.quote(proxy.type())
                    + ". Available: "
                    + new TreeSet<>(PROXY_TYPES)));
      }
      if (proxy.passwordEnv() != null) {
        envVariable(proxy.passwordEnv(), path + ".proxy.passwordEnv", enabled, out);
        if (proxy.username() == null) {
          out.add(
              ConfigProblem.warning(path + ".proxy.passwordEnv", "ignored without proxy.username"));
        }
      }
    }
    HttpConfig.Tls tls = h.tls();
    if (tls != null) {
      String type = tls.trustStoreType();
      if (type != null && !TRUST_STORE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
        out.add(
            ConfigProblem.error(
                path + ".tls.trustStoreType",
                "unknown trust store type "
                    + Redaction.quote(type)
                    + ". Available: "
                    + new TreeSet<>(TRUST_STORE_TYPES)));
      }
      file(tls.trustStore(), path + ".tls.trustStore", out);
      file(tls.certificate(), path + ".tls.certificate", out);
      file(tls.key(), path + ".tls.key", out);
      if (tls.trustStorePasswordEnv() != null) {
        envVariable(tls.trustStorePasswordEnv(), path + ".tls.trustStorePasswordEnv", enabled, out);
      } else if (tls.trustStore() != null) {
        String t =
            type != null
                ? type.toUpperCase(Locale.ROOT)
                : core.llm.providers.spi.TransportOptions.TrustStoreType.fromFileName(
                        tls.trustStore())
                    .name();
        if (!t.equals("PEM")) {
          out.add(
              ConfigProblem.error(
                  path + ".tls.trustStorePasswordEnv",
                  "required for a " + t + " trust store (the variable holding its password)"));
        }
      }
      if ((tls.certificate() == null) != (tls.key() == null)) {
        out.add(
            ConfigProblem.error(
                path + (tls.certificate() == null ? ".tls.certificate" : ".tls.key"),
                "a client certificate needs both certificate and key"));
      }
      if (Boolean.TRUE.equals(tls.trustAll())) {
        out.add(
            ConfigProblem.warning(
                path + ".tls.trustAll",
                "server certificates are not verified: use tls.trustStore outside of tests"));
      }
    }
  }

  /** A variable named for a secret: a name (never echoed otherwise), warned when unset. */
  private void envVariable(String var, String path, boolean enabled, List<ConfigProblem> out) {
    if (!Redaction.ENV_NAME.matcher(var).matches()) {
      out.add(
          ConfigProblem.error(
              path,
              "does not look like an environment variable name (upper-case letters, digits and _);"
                  + " if it is the secret itself, put it in a variable and name the variable here"));
      return;
    }
    String value = env.apply(var);
    if (enabled && (value == null || value.isBlank())) {
      out.add(ConfigProblem.warning(path, "environment variable " + var + " is not set"));
    }
  }

  private static void file(String file, String path, List<ConfigProblem> out) {
    if (file == null) {
      return;
    }
    if (file.isBlank()) {
      out.add(ConfigProblem.error(path, "empty path"));
    } else {
      boolean readable;
      try {
        readable = java.nio.file.Files.isReadable(java.nio.file.Path.of(file));
      } catch (java.nio.file.InvalidPathException e) {
        readable = false;
      }
      if (!readable) {
        out.add(ConfigProblem.error(path, "cannot read " + Redaction.quote(file)));
      }
    }
  }

  private static String urlProblem(String type, String url) {
    if ("ollama".equals(type)) {
      // the same normalisation as OLLAMA_HOST and OllamaClientOptions.setBaseUrl
      try {
        if (core.llm.common.OllamaHost.resolve(url, "baseUrl").authorization() != null) {
          return "must not contain user info (credentials); use apiKeyEnv";
        }
        return null;
      } catch (core.llm.common.LlmException e) {
        return e.getMessage();
      }
    }
    URI u;
    try {
      u = new URI(url.strip());
    } catch (Exception e) {
      return "not an http(s) URL";
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || u.getHost() == null
        || u.getHost().isEmpty()) {
      return "not an http(s) URL";
    }
    if (u.getRawUserInfo() != null) {
      return "must not contain user info (credentials); use apiKeyEnv";
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      return "must not contain a query or fragment";
    }
    return null;
  }

  private static void positive(Duration d, String path, List<ConfigProblem> out) {
    if (d != null && (d.isNegative() || d.isZero())) {
      out.add(ConfigProblem.error(path, "must be positive"));
    }
  }

  private static void routing(RoutingConfig r, List<ConfigProblem> out) {
    if (r.maxAttempts() < 1) {
      out.add(ConfigProblem.error("routing.maxAttempts", "must be >= 1"));
    }
    if (r.initialBackoff().isNegative()) {
      out.add(ConfigProblem.error("routing.initialBackoff", "must be >= 0"));
    }
    if (r.maxBackoff().isNegative()) {
      out.add(ConfigProblem.error("routing.maxBackoff", "must be >= 0"));
    } else if (r.maxBackoff().compareTo(r.initialBackoff()) < 0) {
      out.add(ConfigProblem.error("routing.maxBackoff", "must be >= routing.initialBackoff"));
    }
    if (r.breakerFailureThreshold() < 1) {
      out.add(ConfigProblem.error("routing.breakerFailureThreshold", "must be >= 1"));
    }
    if (r.breakerCooldown().isNegative()) {
      out.add(ConfigProblem.error("routing.breakerCooldown", "must be >= 0"));
    }
    if (r.contextFit() == ContextFit.FALLBACK && r.contextWindowFallbacks().isEmpty()) {
      out.add(
          ConfigProblem.warning(
              "routing.contextFit",
              "is 'fallback' but routing.contextWindowFallbacks names no model: a prompt that"
                  + " does not fit fails"));
    }
    r.contextWindowFallbacks()
        .forEach(
            (model, list) -> {
              if (list.isEmpty()) {
                out.add(
                    ConfigProblem.error(
                        ConfigBinder.mapPath("routing.contextWindowFallbacks", model),
                        "names no model"));
              }
            });
  }

  private static boolean cycles(LlmConfig c, String alias) {
    Set<String> visited = new HashSet<>();
    String cur = alias;
    while (cur != null) {
      if (!visited.add(core.llm.common.ModelNames.canonical(cur))) {
        return true;
      }
      String next = null;
      for (Map.Entry<String, String> e : c.aliases().entrySet()) {
        if (core.llm.common.ModelNames.sameModel(e.getKey(), cur)) {
          next = e.getValue();
          break;
        }
      }
      cur = next;
    }
    return false;
  }
}
