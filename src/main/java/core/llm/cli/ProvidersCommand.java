package core.llm.cli;

import core.llm.common.HealthStatus;
import core.llm.common.LlmException;
import core.llm.common.ModelInfo;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderStatus;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llm providers}: the configured providers with their health, and which provider serves
 * which model (configured routes, then what each reachable provider lists). Requests in flight are
 * a running gateway's ({@code --gateway URL}): this short-lived process has none of its own. Exit 0
 * when every provider (and the gateway asked) answers, {@link ExitCodes#UNAVAILABLE} when one does
 * not.
 */
@Command(
    name = "providers",
    description =
        "Show the configured providers, their health, and which provider serves which model.")
final class ProvidersCommand extends BaseCommand {
  /** The environment variable the gateway's key is read from (never printed). */
  static final String GATEWAY_KEY_ENV = "LLM_GATEWAY_KEY";

  private static final long GATEWAY_TIMEOUT_MS = 10_000;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Also show what a running gateway (llm serve) sees: each host's loaded models and the"
              + " requests in flight there. Its key, when it has keys, comes from "
              + GATEWAY_KEY_ENV
              + ".")
  String gateway;

  private record Probe(ProviderStatus status, HealthStatus health, List<ModelInfo> models) {}

  @Override
  int run(CliContext ctx) {
    LlmConfig config = ctx.config();
    LlmProviderFactory factory = ctx.factory();
    ctx.out.println(
        "configuration: "
            + ctx.configPath()
                .map(Object::toString)
                .orElse("(embedded default: one Ollama at OLLAMA_HOST)"));
    // All providers are probed at once: a slow one does not delay the others.
    List<Future<Probe>> probes = new ArrayList<>();
    for (ProviderStatus s : factory.availableProviders()) {
      probes.add(probe(factory, s));
    }
    Future.join(probes).await(); // join, not all: every probe completes (failures became "down")
    // Then one /api/ps per Ollama host: what is loaded, and the residency the routes below are
    // ranked by (this process knew nothing of it before asking). After the probes, so that the
    // in-flight counts are not this command's own probes.
    List<LlmProviderFactory.HostState> hostStates = factory.refreshResidency().await();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PROVIDER", "TYPE", "URL", "HEALTH", "LATENCY", "BREAKER", "MODELS"});
    boolean allUp = true;
    List<Probe> done = probes.stream().map(Future::result).toList();
    for (Probe p : done) {
      ProviderConfig pc = config.provider(p.status().name()).orElse(null);
      String name =
          p.status().name()
              + (p.status().name().equals(config.defaultProvider()) ? " (default)" : "");
      boolean up = p.health() != null && p.health().up();
      allUp &= up;
      String models = p.models() == null ? "-" : String.valueOf(p.models().size());
      rows.add(
          new String[] {
            name,
            p.status().type(),
            pc == null || pc.baseUrl() == null ? "(default)" : pc.baseUrl(),
            up ? "up" : "DOWN",
            latency(p.health()),
            p.status().breaker().toString().toLowerCase(java.util.Locale.ROOT),
            models
          });
    }
    ctx.out.print(Fmt.table(rows));
    for (Probe p : done) {
      if (p.health() != null && !p.health().up() && p.health().detail() != null) {
        ctx.out.println("  " + p.status().name() + ": " + p.health().detail());
      }
    }
    printHosts(ctx, config, hostStates);
    boolean gatewayRead = gateway == null || printGatewayHosts(ctx);
    printRoutes(ctx, config, done);
    return allUp && gatewayRead ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }

  private static Future<Probe> probe(LlmProviderFactory factory, ProviderStatus s) {
    return factory
        .provider(s.name())
        .compose(
            p ->
                p.health()
                    // The first answer also paid for this process's start (connecting, loading
                    // classes); the second, on the open connection, is the server's latency.
                    .compose(
                        h ->
                            h.up()
                                ? p.health().map(again -> again.up() ? again : h)
                                : Future.succeededFuture(h))
                    .compose(
                        h ->
                            h.up()
                                ? models(p).map(m -> new Probe(s, h, m))
                                : Future.succeededFuture(new Probe(s, h, null))))
        .otherwise(
            e ->
                new Probe(
                    s,
                    new HealthStatus(false, Duration.ZERO, e.getMessage(), Instant.now()),
                    null));
  }

  private static Future<List<ModelInfo>> models(LlmProvider p) {
    return p.listModels().otherwise(e -> null);
  }

  private static String latency(HealthStatus h) {
    return h == null || h.latency() == null || !h.up() ? "-" : h.latency().toMillis() + "ms";
  }

  /** The first provider the router would try for {@code model} (the router's own resolution). */
  private static String routedTo(CliContext ctx, String model) {
    try {
      return ctx.factory().route(model, null).providers().get(0);
    } catch (LlmException e) {
      return "(none)";
    }
  }

  /**
   * Per Ollama host: the models its server has loaded ({@code /api/ps}, with the context length
   * each runs with) and its capacity ({@code options.parallel}). No in-flight column: this process
   * sends nothing, so its count would always be 0 (a gateway's: {@link #printGatewayHosts}).
   */
  private static void printHosts(
      CliContext ctx, LlmConfig config, List<LlmProviderFactory.HostState> hosts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"HOST", "LOADED", "CAPACITY"});
    for (LlmProviderFactory.HostState h : hosts) {
      ProviderConfig pc = config.provider(h.provider()).orElse(null);
      if (pc == null || !"ollama".equals(pc.type())) {
        continue;
      }
      List<String> names = new ArrayList<>();
      for (LlmProviderFactory.HostState.Loaded m : h.loaded()) {
        names.add(
            loadedName(
                m.model(), m.contextLength().isPresent() ? m.contextLength().getAsInt() : null));
      }
      rows.add(
          new String[] {h.provider(), loaded(h.refreshed(), names), String.valueOf(h.capacity())});
    }
    if (rows.size() == 1) {
      return;
    }
    ctx.out.println();
    ctx.out.print(Fmt.table(rows));
  }

  private static String loadedName(String model, Integer contextLength) {
    return model + (contextLength == null ? "" : " (ctx " + contextLength + ")");
  }

  private static String loaded(boolean refreshed, List<String> names) {
    if (!refreshed) {
      return "(unknown: /api/ps failed)";
    }
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  /**
   * The gateway's own view of its hosts (its monitoring document, {@code
   * /api/v1/monitoring/providers}): loaded models, requests in flight there and capacity. Returns
   * whether it could be read; a failure is said in a line, not thrown.
   */
  private boolean printGatewayHosts(CliContext ctx) {
    String base = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
    JsonArray hosts;
    try {
      hosts = fetchHosts(ctx, base).await();
    } catch (RuntimeException e) {
      ctx.out.println();
      ctx.out.println("gateway " + shown(base) + ": " + e.getMessage());
      return false;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"HOST", "LOADED", "IN-FLIGHT", "CAPACITY"});
    for (Object o : hosts) {
      if (!(o instanceof JsonObject h)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      JsonArray loaded = h.getJsonArray("loaded", new JsonArray());
      for (Object m : loaded) {
        if (m instanceof JsonObject lm) {
          names.add(loadedName(lm.getString("model", "?"), lm.getInteger("contextLength")));
        }
      }
      rows.add(
          new String[] {
            h.getString("provider", "?"),
            loaded(h.getBoolean("refreshed", false), names),
            String.valueOf(h.getValue("inFlight", "-")),
            String.valueOf(h.getValue("capacity", "-"))
          });
    }
    ctx.out.println();
    ctx.out.println("as the gateway at " + shown(base) + " sees them:");
    if (rows.size() == 1) {
      ctx.out.println("  no Ollama hosts");
    } else {
      ctx.out.print(Fmt.table(rows));
    }
    return true;
  }

  /** The URL without user information, which may hold a password. */
  private static String shown(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      return u.getUserInfo() == null
          ? url
          : new java.net.URI(
                  u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null)
              .toString();
    } catch (java.net.URISyntaxException e) {
      return "(the URL given)";
    }
  }

  private static Future<JsonArray> fetchHosts(CliContext ctx, String base) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(base + "/api/v1/monitoring/providers")
            .setConnectTimeout(GATEWAY_TIMEOUT_MS)
            .setIdleTimeout(GATEWAY_TIMEOUT_MS);
    String key = ctx.env.get(GATEWAY_KEY_ENV);
    if (key != null && !key.isBlank()) {
      request.putHeader("authorization", "Bearer " + key.strip());
    }
    HttpClient client = ctx.vertx().createHttpClient();
    Future<JsonArray> hosts;
    try {
      hosts =
          client
              .request(request)
              .compose(r -> r.send().compose(resp -> resp.body().map(b -> hostsOf(resp, b))))
              .timeout(GATEWAY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .recover(e -> Future.failedFuture(gatewayFailure(e)));
    } catch (RuntimeException e) { // a malformed URL
      hosts = Future.failedFuture(gatewayFailure(e));
    }
    return hosts.onComplete(ar -> client.close());
  }

  private static JsonArray hostsOf(HttpClientResponse resp, io.vertx.core.buffer.Buffer body) {
    int status = resp.statusCode();
    if (status == 401 || status == 403) {
      throw new GatewayReadException(
          "refused (HTTP " + status + "): set " + GATEWAY_KEY_ENV + " to one of its keys");
    }
    if (status != 200) {
      throw new GatewayReadException(
          "answered HTTP " + status + " instead of its monitoring document; is it llm serve?");
    }
    try {
      JsonArray hosts = new JsonObject(body).getJsonArray("hosts");
      if (hosts == null) {
        throw new GatewayReadException("its monitoring document has no hosts; is it llm serve?");
      }
      return hosts;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new GatewayReadException("did not answer with JSON; is it llm serve?");
    }
  }

  private static GatewayReadException gatewayFailure(Throwable e) {
    if (e instanceof GatewayReadException g) {
      return g;
    }
    if (e instanceof java.util.concurrent.TimeoutException
        || e instanceof io.vertx.core.http.StreamResetException) {
      return new GatewayReadException(
          "no answer within " + GATEWAY_TIMEOUT_MS / 1000 + " s; is it running?");
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new GatewayReadException("could not be reached (" + why + "); is it running?");
  }

  /** Why a gateway's view could not be read, in words for the person who asked. */
  static final class GatewayReadException extends RuntimeException {
    GatewayReadException(String message) {
      super(message, null, false, false);
    }
  }

  /** Configured routes first (they win), then each listed model with the providers offering it. */
  private static void printRoutes(CliContext ctx, LlmConfig config, List<Probe> probes) {
    ctx.out.println();
    ctx.out.println(
        "routing: default provider "
            + config.defaultProvider()
            + (config.fallback().isEmpty()
                ? ""
                : ", fallback " + String.join(" -> ", config.fallback())));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MODEL", "PROVIDER", "WHY"});
    for (Map.Entry<String, String> e : config.aliases().entrySet()) {
      rows.add(new String[] {e.getKey(), routedTo(ctx, e.getKey()), "alias of " + e.getValue()});
    }
    for (Map.Entry<String, String> e : config.modelMapping().entrySet()) {
      rows.add(new String[] {e.getKey(), e.getValue(), "modelMapping"});
    }
    for (ProviderConfig pc : config.enabledProviders()) {
      for (String m : pc.models()) {
        rows.add(new String[] {m, pc.name(), "listed in its models"});
      }
    }
    for (Probe p : probes) {
      if (p.models() == null) {
        continue;
      }
      for (ModelInfo m : p.models()) {
        String routed = routedTo(ctx, m.id());
        rows.add(
            new String[] {
              m.id(),
              p.status().name(),
              routed.equals(p.status().name())
                  ? "installed"
                  : "installed (routed to " + routed + ")"
            });
      }
    }
    if (rows.size() == 1) {
      ctx.out.println("no models found");
      return;
    }
    ctx.out.print(Fmt.table(rows));
  }
}
