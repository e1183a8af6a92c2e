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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code llm providers}: the configured providers with their health, and which provider serves
 * which model (configured routes, then what each reachable provider lists). Exit 0 when every
 * provider answers, {@link ExitCodes#UNAVAILABLE} when one does not.
 */
@Command(
    name = "providers",
    description =
        "Show the configured providers, their health, and which provider serves which model.")
final class ProvidersCommand extends BaseCommand {
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
    printRoutes(ctx, config, done);
    return allUp ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
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
   * each runs with), and the requests in flight over its capacity ({@code options.parallel}).
   */
  private static void printHosts(
      CliContext ctx, LlmConfig config, List<LlmProviderFactory.HostState> hosts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"HOST", "LOADED", "IN-FLIGHT", "CAPACITY"});
    for (LlmProviderFactory.HostState h : hosts) {
      ProviderConfig pc = config.provider(h.provider()).orElse(null);
      if (pc == null || !"ollama".equals(pc.type())) {
        continue;
      }
      String loaded;
      if (!h.refreshed()) {
        loaded = "(unknown: /api/ps failed)";
      } else if (h.loaded().isEmpty()) {
        loaded = "(none)";
      } else {
        List<String> names = new ArrayList<>();
        for (LlmProviderFactory.HostState.Loaded m : h.loaded()) {
          names.add(
              m.model()
                  + (m.contextLength().isPresent()
                      ? " (ctx " + m.contextLength().getAsInt() + ")"
                      : ""));
        }
        loaded = String.join(", ", names);
      }
      rows.add(
          new String[] {
            h.provider(), loaded, String.valueOf(h.inFlight()), String.valueOf(h.capacity())
          });
    }
    if (rows.size() == 1) {
      return;
    }
    ctx.out.println();
    ctx.out.print(Fmt.table(rows));
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
