package core.llm.factory;

import core.llm.providers.anthropic.AnthropicOptions;
import core.llm.providers.anthropic.AnthropicProvider;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.Timeouts;
import core.llm.providers.config.HttpConfig;
import core.llm.providers.config.LifecycleConfig;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.TimeoutConfig;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.ollama.LifecycleOptions;
import core.llm.providers.ollama.ModelLifecycle;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.OllamaProvider;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.openai.OpenAiOptions;
import core.llm.providers.openai.OpenAiProvider;
import core.llm.providers.spi.TransportOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The provider types this library ships: {@code ollama}, {@code openai} (any OpenAI-compatible
 * server), {@code anthropic} and {@code mock}. Used by {@link ProviderCreators#discover()} and by
 * {@code core.llm.inject.LlmModule}, which adds each to its {@code MapBinder}.
 *
 * <p>Type-specific {@code options} in the configuration: ollama {@code lifecycle} ({@link
 * LifecycleConfig}); openai {@code organization}, {@code project}; anthropic {@code
 * anthropicVersion}, {@code defaultMaxTokens}. A missing {@code baseUrl} means the provider's
 * public default.
 *
 * <p>The entry's {@code timeouts} and {@code http} block ({@link HttpConfig}: pool size, HTTP/2,
 * TLS, proxy, headers) map onto {@link TransportOptions}, which all three HTTP types share.
 */
public final class BuiltInProviders {
  private BuiltInProviders() {}

  /** Type → creator for the built-in provider types. */
  public static Map<String, ProviderCreator> creators() {
    return Map.of(
        "ollama", creator("ollama", BuiltInProviders::ollama),
        "openai", creator("openai", BuiltInProviders::openai),
        "anthropic", creator("anthropic", BuiltInProviders::anthropic),
        "mock", creator("mock", ctx -> MockProvider.create(ctx.vertx(), ctx.name())));
  }

  private static LlmProvider ollama(ProviderContext ctx) {
    ProviderConfig config = ctx.config();
    OllamaClientOptions options = new OllamaClientOptions().setName(config.name());
    if (config.baseUrl() != null) {
      options.setBaseUrl(config.baseUrl());
    }
    transport(ctx, options);
    ctx.apiKey().ifPresent(key -> options.setApiKey(key.reveal()));
    OllamaClient client = OllamaClient.create(ctx.vertx(), options);
    // The lifecycle starts no timer until start(); it adds fail-fast checks and load/unload
    // control.
    ModelLifecycle lifecycle = ModelLifecycle.create(ctx.vertx(), client, lifecycleOptions(config));
    return new OllamaProvider(config.name(), client, lifecycle);
  }

  /**
   * {@code options.lifecycle} of an ollama entry (see {@link LifecycleConfig}) as lifecycle
   * options.
   */
  static LifecycleOptions lifecycleOptions(ProviderConfig config) {
    LifecycleConfig c = LifecycleConfig.of(config);
    LifecycleOptions o =
        new LifecycleOptions()
            .setWarm(c.warm())
            .setReconcileInterval(c.effectiveReconcileInterval())
            .setIdleTimeout(c.idleTimeout());
    if (c.warmKeepAlive() != null) {
      o.setWarmKeepAlive(
          c.warmKeepAlive().equals(LifecycleConfig.FOREVER)
              ? KeepAlive.FOREVER
              : KeepAlive.of(c.warmKeepAlive()));
    }
    if (c.maxLoaded() != null) {
      o.setMaxLoaded(c.maxLoaded());
    }
    if (c.loadTimeout() != null) {
      o.setLoadTimeout(c.loadTimeout());
    }
    if (c.capabilityChecks() != null) {
      o.setCapabilityChecks(c.capabilityChecks());
    }
    if (c.versionChecks() != null) {
      o.setVersionChecks(c.versionChecks());
    }
    if (c.manageAllModels() != null) {
      o.setManageAllModels(c.manageAllModels());
    }
    return o;
  }

  /**
   * The key of a provider that names a key variable, or null when it names none (a local
   * OpenAI-compatible server without auth). A named variable that is not set makes the provider
   * unavailable ("no key"), so routing skips it and the rest of the configuration still works.
   */
  private static String requiredKey(ProviderContext ctx) {
    String var = ctx.config().apiKeyEnv();
    if (ctx.apiKey().isPresent()) {
      return ctx.apiKey().get().reveal();
    }
    if (var == null) {
      return null;
    }
    throw new core.llm.common.UnauthorizedException(
        "provider '"
            + ctx.config().name()
            + "' has no key: the"
            + " environment variable "
            + var
            + " is not set",
        null,
        core.llm.common.ErrorContext.of(ctx.config().name(), null));
  }

  private static LlmProvider openai(ProviderContext ctx) {
    ProviderConfig config = ctx.config();
    OpenAiOptions options = new OpenAiOptions().setName(config.name());
    if (config.baseUrl() != null) {
      options.setBaseUrl(config.baseUrl());
    }
    transport(ctx, options);
    options.setApiKey(requiredKey(ctx));
    if (config.option("organization") != null) {
      options.setOrganization(config.option("organization"));
    }
    if (config.option("project") != null) {
      options.setProject(config.option("project"));
    }
    return OpenAiProvider.create(ctx.vertx(), options);
  }

  private static LlmProvider anthropic(ProviderContext ctx) {
    ProviderConfig config = ctx.config();
    AnthropicOptions options = new AnthropicOptions().setName(config.name());
    if (config.baseUrl() != null) {
      options.setBaseUrl(config.baseUrl());
    }
    transport(ctx, options);
    options.setApiKey(requiredKey(ctx));
    if (config.option("anthropicVersion") != null) {
      options.setAnthropicVersion(config.option("anthropicVersion"));
    }
    if (config.option("defaultMaxTokens") != null) {
      options.setDefaultMaxTokens(Integer.parseInt(config.option("defaultMaxTokens")));
    }
    return AnthropicProvider.create(ctx.vertx(), options);
  }

  /**
   * The entry's {@code timeouts} and {@code http} block onto the options every HTTP provider
   * shares: the same keys mean the same for ollama, openai and anthropic. Secrets named by variable
   * ({@code proxy.passwordEnv}, {@code tls.trustStorePasswordEnv}, {@code headersEnv}) are resolved
   * through the context, like the API key; an unset one is left out (validation warned about it).
   */
  static void transport(ProviderContext ctx, TransportOptions<?> options) {
    ProviderConfig config = ctx.config();
    TimeoutConfig t = config.timeouts();
    if (t != null) {
      options.setTimeouts(
          options
              .getTimeouts()
              .overriddenBy(new Timeouts(t.connect(), t.firstByte(), t.idle(), t.total())));
    }
    HttpConfig h = config.http();
    if (h.maxPoolSize() != null) {
      options.setMaxPoolSize(h.maxPoolSize());
    }
    if (h.http2MaxPoolSize() != null) {
      options.setHttp2MaxPoolSize(h.http2MaxPoolSize());
    }
    if (h.http2() != null) {
      options.setHttp2(h.http2());
    }
    if (h.h2cPriorKnowledge() != null) {
      options.setH2cPriorKnowledge(h.h2cPriorKnowledge());
    }
    h.headers().forEach(options::addHeader);
    h.headersEnv()
        .forEach(
            (name, var) -> ctx.secret(var).ifPresent(v -> options.addHeader(name, v.reveal())));
    HttpConfig.Proxy p = h.proxy();
    if (p != null) {
      ProxyOptions proxy = new ProxyOptions().setHost(p.host()).setPort(p.port());
      if (p.type() != null) {
        proxy.setType(ProxyType.valueOf(p.type().toUpperCase(Locale.ROOT)));
      }
      if (p.username() != null) {
        proxy.setUsername(p.username());
        ctx.secret(p.passwordEnv()).ifPresent(v -> proxy.setPassword(v.reveal()));
      }
      options.setProxyOptions(proxy);
    }
    HttpConfig.Tls tls = h.tls();
    if (tls != null) {
      options.setTrustStorePath(tls.trustStore());
      if (tls.trustStoreType() != null) {
        options.setTrustStoreType(
            TransportOptions.TrustStoreType.valueOf(tls.trustStoreType().toUpperCase(Locale.ROOT)));
      }
      ctx.secret(tls.trustStorePasswordEnv())
          .ifPresent(v -> options.setTrustStorePassword(v.reveal()));
      options.setCertificatePath(tls.certificate());
      options.setKeyPath(tls.key());
      if (tls.trustAll() != null) {
        options.setTrustAll(tls.trustAll());
      }
    }
  }

  private static ProviderCreator creator(
      String type, Function<ProviderContext, LlmProvider> create) {
    return new ProviderCreator() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public LlmProvider create(ProviderContext ctx) {
        return create.apply(ctx);
      }
    };
  }
}
