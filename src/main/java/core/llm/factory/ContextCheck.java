package core.llm.factory;

import core.llm.common.CompletionRequest;
import core.llm.common.ContextTooLongException;
import core.llm.common.ErrorContext;
import core.llm.common.GenerationOptions;
import core.llm.common.TokenCount;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ContextFit;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.RoutingConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The router's context check ({@code routing.contextFit}): counts a chat's prompt with the provider
 * it would be sent to first and compares it with the context window it would run in there. Ollama
 * never refuses an over-long prompt (it drops the oldest messages or cuts the prompt to about half
 * the window), so a prompt that does not fit is caught here or not at all. What does not fit fails
 * with {@link ContextTooLongException}, is sent with a larger {@code num_ctx} (up to the model's
 * limit), or goes to a {@code routing.contextWindowFallbacks} model whose window fits.
 *
 * <p>The window a request runs in: its own {@code num_ctx}; else the context the loaded copy runs
 * with ({@code /api/ps}); else the provider's {@code options.contextLength} (the server's default,
 * e.g. its {@code OLLAMA_CONTEXT_LENGTH}); else, for Ollama, 4096 (its default on a GPU under 23
 * GiB, the smallest it picks) and for other providers the model's own limit. Each capped by the
 * model's limit when known. A window that cannot be known skips the check.
 */
final class ContextCheck {
  /** Ollama's default {@code num_ctx} on the smallest VRAM tier: a prompt over it may be cut. */
  static final int OLLAMA_DEFAULT_CONTEXT = 4096;

  private final LlmProviderFactoryImpl factory;
  private final String preferred;

  ContextCheck(LlmProviderFactoryImpl factory, String preferred) {
    this.factory = factory;
    this.preferred = preferred;
  }

  /** Whether the configuration in force asks for a check at all (it costs a count per request). */
  static boolean enabled(RoutingConfig rc) {
    return rc.contextFit() != ContextFit.OFF;
  }

  /**
   * The request to route: as given when it fits, with {@code num_ctx} raised, or for a fallback
   * model. Fails with {@link ContextTooLongException} when none of these fits.
   */
  Future<CompletionRequest> apply(CompletionRequest request) {
    RoutingConfig rc = factory.resolver().config.routing();
    return measure(request)
        .transform(
            ar -> {
              // A count or limit that cannot be had (host down, model unknown) must not stop the
              // request: routing fails over or reports that error itself.
              Fit first = ar.succeeded() ? ar.result() : null;
              if (first == null || first.fits()) {
                return Future.succeededFuture(request);
              }
              if (rc.contextFit() == ContextFit.RAISE && first.canRaise()) {
                return Future.succeededFuture(raised(request, first));
              }
              if (rc.contextFit() == ContextFit.FAIL) {
                return Future.failedFuture(tooLong(first, List.of()));
              }
              return fallback(
                  request, first, rc.contextWindowFallbacks(first.model), 0, rc.contextFit());
            });
  }

  /** The next fallback model whose window fits (raising its {@code num_ctx} when RAISE allows). */
  private Future<CompletionRequest> fallback(
      CompletionRequest request, Fit first, List<String> models, int i, ContextFit policy) {
    if (i >= models.size()) {
      return Future.failedFuture(tooLong(first, models));
    }
    CompletionRequest candidate = request.withModel(models.get(i));
    return measure(candidate)
        .transform(
            ar -> {
              Fit fit = ar.succeeded() ? ar.result() : null;
              // a fallback that cannot be measured (no provider, no count) is not a fit
              if (fit != null && (fit.fits() || (policy == ContextFit.RAISE && fit.canRaise()))) {
                CompletionRequest sent = fit.fits() ? candidate : raised(candidate, fit);
                factory.emit(
                    RoutingEvent.Type.CONTEXT_FALLBACK,
                    fit.provider,
                    fit.model,
                    null,
                    0,
                    0,
                    Duration.ZERO);
                return Future.succeededFuture(sent);
              }
              return fallback(request, first, models, i + 1, policy);
            });
  }

  /** Null when the window cannot be known (then nothing is checked). */
  private Future<Fit> measure(CompletionRequest request) {
    Resolver.Plan plan;
    try {
      plan = factory.plan(request.model(), preferred);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String name = plan.candidates().get(0);
    String model = plan.model();
    ProviderConfig config = factory.resolver().enabled(name);
    return factory
        .provider(name)
        .compose(
            p -> {
              CompletionRequest sent = request.withModel(model);
              Future<TokenCount> count = p.countTokens(sent);
              Future<OptionalInt> max = p.maxContextLength(model);
              return Future.all(count, max)
                  .map(
                      v -> {
                        OptionalInt limit = max.result();
                        OptionalInt window = window(p, config, model, request, limit);
                        if (window.isEmpty()) {
                          return null;
                        }
                        return new Fit(
                            name,
                            model,
                            count.result(),
                            needed(request, count.result()),
                            window.getAsInt(),
                            limit);
                      });
            });
  }

  private static OptionalInt window(
      LlmProvider p,
      ProviderConfig config,
      String model,
      CompletionRequest request,
      OptionalInt limit) {
    Integer asked = numCtx(request);
    if (asked != null) {
      return OptionalInt.of(asked); // Ollama caps it at the limit itself; the check uses the ask
    }
    OptionalInt loaded = p.loadedContextLength(model);
    if (loaded.isPresent()) {
      return loaded;
    }
    Integer configured = configuredContext(config);
    int fallback =
        configured != null
            ? configured
            : "ollama".equals(config == null ? null : config.type()) ? OLLAMA_DEFAULT_CONTEXT : -1;
    if (fallback < 0) {
      return limit; // hosted APIs run every request with the model's whole window
    }
    return OptionalInt.of(limit.isPresent() ? Math.min(fallback, limit.getAsInt()) : fallback);
  }

  /** The prompt plus the answer's room when the request bounds it ({@code maxTokens}). */
  private static long needed(CompletionRequest request, TokenCount count) {
    Integer max = request.options().maxTokens();
    return (long) count.tokens() + (max == null || max < 0 ? 0 : max);
  }

  /**
   * {@code num_ctx} raised to the next power of two with a quarter of headroom, capped at the
   * model's limit: a few stable sizes, so prompts of nearby lengths share one loaded copy instead
   * of each forcing a reload.
   */
  private CompletionRequest raised(CompletionRequest request, Fit fit) {
    long want = fit.needed + Math.max(fit.needed / 4, 256);
    long size = Long.highestOneBit(Math.max(1, want - 1)) << 1;
    int numCtx = (int) Math.min(fit.limit.getAsInt(), size);
    factory.emit(
        RoutingEvent.Type.CONTEXT_RAISED, fit.provider, fit.model, null, 0, 0, Duration.ZERO);
    GenerationOptions o = request.options();
    Map<String, Object> provider = new HashMap<>(o.providerOptions());
    provider.put("num_ctx", numCtx);
    GenerationOptions raisedOptions =
        new GenerationOptions(
            o.temperature(), o.maxTokens(), o.topP(), o.stop(), o.seed(), provider);
    return new CompletionRequest(
        request.model(),
        request.messages(),
        request.tools(),
        raisedOptions,
        request.responseFormat(),
        request.think());
  }

  private ContextTooLongException tooLong(Fit fit, List<String> fallbacks) {
    StringBuilder msg =
        new StringBuilder("The prompt for '")
            .append(fit.model)
            .append("' is ")
            .append(fit.count.exact() ? "" : "about ")
            .append(fit.count.tokens())
            .append(" tokens");
    if (fit.needed > fit.count.tokens()) {
      msg.append(" (").append(fit.needed).append(" with the answer's maxTokens)");
    }
    msg.append(" but its context window on '")
        .append(fit.provider)
        .append("' is ")
        .append(fit.window)
        .append(" tokens");
    if (fit.limit.isPresent() && fit.limit.getAsInt() != fit.window) {
      msg.append(" (the model allows up to ").append(fit.limit.getAsInt()).append(")");
    }
    if (!fallbacks.isEmpty()) {
      msg.append(", and no context-window fallback ").append(fallbacks).append(" fits it");
    }
    msg.append(
        fit.canRaise()
            ? "; shorten the conversation, send a larger num_ctx, or set routing.contextFit to"
                + " raise"
            : "; shorten the conversation, or add a model with a longer context to"
                + " routing.contextWindowFallbacks");
    return new ContextTooLongException(
        msg.toString(),
        ErrorContext.of(fit.provider, "chat"),
        (int) Math.min(Integer.MAX_VALUE, Math.max(fit.needed, fit.count.tokens())),
        fit.window);
  }

  /** The request's {@code num_ctx}, or null. */
  static Integer numCtx(CompletionRequest request) {
    Object v = request.options().providerOptions().get("num_ctx");
    return v instanceof Number n ? n.intValue() : null;
  }

  private static Integer configuredContext(ProviderConfig config) {
    String v = config == null ? null : config.option("contextLength");
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null; // the validator reports it
    }
  }

  /**
   * One measurement: the count, what it needs, the window it would run in and the model's limit.
   */
  private record Fit(
      String provider, String model, TokenCount count, long needed, int window, OptionalInt limit) {
    boolean fits() {
      return needed <= window;
    }

    boolean canRaise() {
      return limit.isPresent() && needed <= limit.getAsInt();
    }
  }
}
