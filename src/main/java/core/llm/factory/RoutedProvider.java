package core.llm.factory;

import core.llm.common.Capability;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.Futures;
import core.llm.common.HealthStatus;
import core.llm.common.LlmException;
import core.llm.common.ModelInfo;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.StreamPiece;
import core.llm.providers.base.WireFormat;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An {@link LlmProvider} that runs each request across the candidate providers of the request's
 * model ({@link LlmProviderFactory#router()}): retries and failover before the first token,
 * breakers per provider, a typed stream error after the first token. Every decision is a {@link
 * RoutingEvent}. The request's model is sent with its alias resolved. Obtain it from the factory;
 * {@link #close()} does nothing (the factory owns the providers).
 */
public final class RoutedProvider implements LlmProvider {
  private final LlmProviderFactoryImpl factory;
  private final String preferred;

  RoutedProvider(LlmProviderFactoryImpl factory, String preferred) {
    this.factory = factory;
    this.preferred = preferred;
  }

  /** {@code router}, or {@code router:<preferred>}. */
  @Override
  public String name() {
    return preferred == null ? "router" : "router:" + preferred;
  }

  @Override
  public String type() {
    return "routed";
  }

  /** Chat, streaming, embeddings and structured output: what every routed provider type offers. */
  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.CHAT, Capability.STREAMING, Capability.EMBEDDINGS, Capability.STRUCTURED_OUTPUT);
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    if (!contextCheck()) {
      return routeChat(request);
    }
    return new ContextCheck(factory, preferred).apply(request).compose(this::routeChat);
  }

  private Future<CompletionResult> routeChat(CompletionRequest request) {
    LoadSettings settings = LoadSettings.of(request);
    Routing routing;
    try {
      routing = factory.routing(request.model(), preferred, settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return attempt(
        new SharedLoadLegs(routing, factory, settings),
        routing.model(),
        (p, model) -> p.chat(request.withModel(model)),
        null);
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    return stream(request, LlmProvider::chatStream);
  }

  /**
   * Each leg asks its provider for {@code format}. The server's bytes carry the model name it was
   * sent, so a request whose alias (or context-window fallback) names another model gets deltas
   * instead, which the caller encodes with the name it asked for.
   */
  @Override
  public ResponseStream<StreamPiece, CompletionResult> relayStream(
      CompletionRequest request, WireFormat format) {
    return stream(
        request,
        (p, sent) ->
            sent.model().equals(request.model())
                ? p.relayStream(sent, format)
                : StreamPiece.deltas(p.chatStream(sent)));
  }

  /** A routed stream: {@code open} starts one leg on a provider, for the request as sent. */
  private <T> ResponseStream<T, CompletionResult> stream(
      CompletionRequest request,
      BiFunction<LlmProvider, CompletionRequest, ResponseStream<T, CompletionResult>> open) {
    if (!contextCheck()) {
      LegSource legs = legs(request);
      String model = legs.model();
      return new RoutedStream<>(legs, p -> open.apply(p, request.withModel(model)));
    }
    CheckedLegs legs = new CheckedLegs(request);
    return new RoutedStream<>(legs, p -> open.apply(p, legs.sent.withModel(legs.model())));
  }

  /** Whether {@code routing.contextFit} asks for a check (a closed factory fails later, typed). */
  private boolean contextCheck() {
    try {
      return ContextCheck.enabled(factory.resolver().config.routing());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The legs of a chat as it is (each waiting for its host's shared load), or a source that fails
   * with why there are none.
   */
  private LegSource legs(CompletionRequest request) {
    try {
      LoadSettings settings = LoadSettings.of(request);
      return new SharedLoadLegs(
          factory.routing(request.model(), preferred, settings), factory, settings);
    } catch (LlmException e) {
      return new LegSource() {
        @Override
        public Future<Lease> next(LlmException failure) {
          return Future.failedFuture(e);
        }

        @Override
        public String model() {
          return request.model();
        }
      };
    }
  }

  /**
   * The legs of a stream whose request is checked against its context window first: the check is
   * asynchronous (a count, the model's limit), so the routing starts with the first attempt, for
   * the request the check returns (raised {@code num_ctx}, or a fallback model).
   */
  private final class CheckedLegs implements LegSource {
    private final CompletionRequest asked;
    private Future<LegSource> routing;
    private volatile LegSource resolved;
    private volatile CompletionRequest sent;

    CheckedLegs(CompletionRequest asked) {
      this.asked = asked;
      this.sent = asked;
    }

    @Override
    public Future<Lease> next(LlmException failure) {
      if (routing == null) {
        routing =
            new ContextCheck(factory, preferred)
                .apply(asked)
                .map(
                    checked -> {
                      sent = checked;
                      LegSource legs = legs(checked);
                      resolved = legs;
                      return legs;
                    });
      }
      return routing.compose(legs -> legs.next(failure));
    }

    @Override
    public void midStream(Lease lease, LlmException e) {
      LegSource legs = resolved;
      if (legs != null) {
        legs.midStream(lease, e);
      }
    }

    @Override
    public String model() {
      LegSource legs = resolved;
      return legs != null ? legs.model() : asked.model();
    }
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    // Vectors of two models must never end up in one index: another provider is tried only when
    // it holds the same weights (the same digest) as the first one.
    java.util.concurrent.atomic.AtomicReference<Lease.Named> first =
        new java.util.concurrent.atomic.AtomicReference<>();
    return route(
        request.model(),
        (p, model) -> {
          EmbeddingRequest sent =
              new EmbeddingRequest(model, request.inputs(), request.dimensions());
          Lease.Named here = new Lease.Named(p.name(), p);
          if (first.compareAndSet(null, here) || first.get().name().equals(p.name())) {
            return p.embed(sent).onSuccess(r -> factory.rememberDigest(p, model));
          }
          return factory.sameWeights(first.get().provider(), p, model).compose(v -> p.embed(sent));
        });
  }

  /** The models of every enabled provider (providers that fail to answer are left out). */
  @Override
  public Future<List<ModelInfo>> listModels() {
    List<Future<List<ModelInfo>>> all = new ArrayList<>();
    for (ProviderStatus s : factory.availableProviders()) {
      all.add(factory.provider(s.name()).compose(LlmProvider::listModels));
    }
    return Future.join(all)
        .transform(
            ar -> {
              List<ModelInfo> out = new ArrayList<>();
              for (Future<List<ModelInfo>> f : all) {
                if (f.succeeded()) {
                  out.addAll(f.result());
                }
              }
              return Future.succeededFuture(out);
            });
  }

  /** The health of the preferred provider, else of the default provider. */
  @Override
  public Future<HealthStatus> health() {
    try {
      String name = preferred != null ? preferred : factory.resolver().config.defaultProvider();
      return factory.provider(name).compose(LlmProvider::health);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private <T> Future<T> route(String model, BiFunction<LlmProvider, String, Future<T>> call) {
    return route(model, LoadSettings.NONE, call);
  }

  private <T> Future<T> route(
      String model, LoadSettings settings, BiFunction<LlmProvider, String, Future<T>> call) {
    Routing routing;
    try {
      routing = factory.routing(model, preferred, settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return attempt(routing, routing.model(), call, null);
  }

  private <T> Future<T> attempt(
      LegSource legs,
      String model,
      BiFunction<LlmProvider, String, Future<T>> call,
      LlmException previous) {
    return Futures.then(
        legs.next(previous),
        lease -> {
          Future<T> f = start(call, lease.provider, model);
          return f.transform(
              ar -> {
                lease.release();
                if (ar.succeeded()) {
                  lease.success();
                  return f;
                }
                LlmException e = Errors.classify(ar.cause(), lease.name);
                // A unary call has committed nothing until it returns.
                if (!Errors.retryableBeforeCommit(e)) {
                  lease.neutral(e);
                  return Future.failedFuture(e);
                }
                lease.failure(e);
                return attempt(legs, model, call, e);
              });
        });
  }

  /** The call on one provider; one that throws has failed. */
  private static <T> Future<T> start(
      BiFunction<LlmProvider, String, Future<T>> call, LlmProvider provider, String model) {
    try {
      return call.apply(provider, model);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Counted by the provider the request would be sent to first. */
  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    ModelRoute route;
    try {
      route = factory.route(request.model(), preferred);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return factory
        .provider(route.providers().get(0))
        .compose(p -> p.countTokens(request.withModel(route.model())));
  }
}
