package core.llm.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.BadRequestException;
import core.llm.common.BaseUrl;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.OllamaHost;
import core.llm.factory.ModelRoute;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.ollama.OllamaProvider;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * Ollama's model management ({@code /api/show}, {@code pull}, {@code delete}, {@code copy}, {@code
 * create}, {@code push}) forwarded as it is to one Ollama host: the one the model maps to (the
 * first Ollama provider of its route), or the provider named by the {@value #PROVIDER_HEADER}
 * header. The answer is relayed byte for byte, progress streams included, with the client's flow
 * control (a pipe); a client that goes away resets the upstream request.
 */
final class OllamaApiForward {
  /** Names the provider a management call goes to, instead of the model's route. */
  static final String PROVIDER_HEADER = "x-llm-provider";

  private final GatewayContext ctx;
  private final HttpClient client;

  OllamaApiForward(GatewayContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx.httpClientBuilder().with(new PoolOptions().setHttp1MaxSize(8)).build();
  }

  /** Forwards the request, whose body names the model in {@code field}. */
  void forward(RoutingContext rc, String field) {
    RequestNotes.of(rc).api = "ollama";
    Bodies.readTree(rc)
        .compose(
            body -> {
              String model = text(body, field);
              if (model == null && field.equals("model")) {
                model = text(body, "name"); // the older spelling Ollama still reads
              }
              RequestNotes.of(rc).model = model;
              String m = model;
              return ctx.admission.admit(rc, model).map(caller -> target(rc, m));
            })
        .compose(target -> headers(target).compose(headers -> send(rc, target, headers)))
        .onFailure(e -> OllamaApiErrors.write(rc, e));
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
  }

  /** The Ollama provider the call goes to. */
  private ProviderConfig target(RoutingContext rc, String model) {
    LlmConfig config = ctx.configs.snapshot();
    String named = rc.request().getHeader(PROVIDER_HEADER);
    if (named != null) {
      ProviderConfig pc =
          config
              .provider(named)
              .orElseThrow(
                  () ->
                      new BadRequestException(
                          "no provider named '" + named + "' (" + PROVIDER_HEADER + ")",
                          ErrorContext.NONE));
      return requireOllama(pc);
    }
    if (model != null) {
      ModelRoute route = ctx.factory.route(model, null);
      for (String name : route.providers()) {
        ProviderConfig pc = config.provider(name).orElse(null);
        if (pc != null && "ollama".equals(pc.type())) {
          return pc;
        }
      }
    }
    return config.enabledProviders().stream()
        .filter(p -> "ollama".equals(p.type()))
        .findFirst()
        .orElseThrow(
            () ->
                new BadRequestException(
                    "no Ollama provider is configured: model management needs one",
                    ErrorContext.NONE));
  }

  private static ProviderConfig requireOllama(ProviderConfig pc) {
    if (!"ollama".equals(pc.type())) {
      throw new BadRequestException(
          "provider '" + pc.name() + "' is of type " + pc.type() + ", not an Ollama host",
          ErrorContext.NONE);
    }
    return pc;
  }

  /**
   * The headers the provider's own client sends (User-Agent, its API key or URL credentials, the
   * configured custom headers), so a forwarded call is let in wherever the provider's are.
   */
  private Future<MultiMap> headers(ProviderConfig target) {
    return ctx.factory
        .provider(target.name())
        .map(
            p ->
                p.unwrap(OllamaProvider.class)
                    .map(o -> o.client().requestHeaders())
                    .orElseThrow(
                        () ->
                            new BadRequestException(
                                "provider '" + target.name() + "' is not an Ollama host",
                                ErrorContext.NONE)));
  }

  private Future<Void> send(RoutingContext rc, ProviderConfig target, MultiMap headers) {
    BaseUrl base =
        OllamaHost.resolve(
            target.baseUrl() == null ? System.getenv(OllamaHost.ENV) : target.baseUrl(),
            "providers." + target.name() + ".baseUrl");
    URI uri = base.uri();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    RequestOptions options =
        new RequestOptions()
            .setMethod(rc.request().method())
            .setHost(uri.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI(prefix + rc.request().path());
    headers.forEach(options::putHeader);
    options.putHeader("content-type", "application/json");
    RequestNotes.of(rc).provider = target.name();
    HttpServerResponse response = rc.response();
    Buffer body = rc.body().buffer();
    return client
        .request(options)
        .compose(
            (HttpClientRequest req) -> {
              response.closeHandler(
                  v -> {
                    if (!response.ended()) {
                      RequestNotes.of(rc).clientGone = true;
                      req.reset();
                    }
                  });
              return req.send(body == null ? Buffer.buffer() : body);
            })
        .recover(
            e ->
                Future.failedFuture(
                    new ConnectionException(
                        "the Ollama host of provider '"
                            + target.name()
                            + "' could not be reached: "
                            + e.getMessage(),
                        ErrorContext.of(target.name(), rc.request().path()),
                        e)))
        .compose(
            upstream -> {
              response.setStatusCode(upstream.statusCode());
              String type = upstream.getHeader("content-type");
              if (type != null) {
                response.putHeader("content-type", type);
              }
              String length = upstream.getHeader("content-length");
              if (length != null) {
                response.putHeader("content-length", length);
              } else {
                response.setChunked(true);
              }
              return upstream.pipeTo(response);
            });
  }
}
