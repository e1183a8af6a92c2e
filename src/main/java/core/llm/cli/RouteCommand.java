package core.llm.cli;

import core.llm.factory.BreakerState;
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ModelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llm route MODEL [--num-ctx N]}: which provider a request for the model would go to, and
 * why, without sending it. The explanation is the router's own resolution ({@link
 * LlmProviderFactory#route(String, String, Integer)}: the same plan and placement code), after one
 * {@code /api/ps} per Ollama host ({@link LlmProviderFactory#refreshResidency()}), since a
 * short-lived process knows residency only by asking. In-flight counts, failures and breakers are
 * this process's, which has sent nothing; a running gateway's are in {@code llm providers --gateway
 * URL}. Exit 0, or {@link ExitCodes#NOT_FOUND} when no provider serves the model.
 */
@Command(
    name = "route",
    description =
        "Explain which provider a request for MODEL would go to and why (nothing is sent).")
final class RouteCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "MODEL", description = "Model name or alias.")
  String model;

  @Option(
      names = "--num-ctx",
      paramLabel = "N",
      description =
          "The context length the request would ask for: a host whose loaded copy runs with "
              + "another one would reload it, so it ranks behind a matching one.")
  Integer numCtx;

  @Override
  int run(CliContext ctx) {
    LlmProviderFactory factory = ctx.factory();
    factory.refreshResidency().await(); // never fails: an unreachable host just stays unknown
    ModelRoute route = factory.route(model, ctx.providerName, numCtx);
    ctx.out.println(
        "model: "
            + route.model()
            + (route.model().equals(model) ? "" : " (alias " + model + ")")
            + (numCtx == null ? "" : ", num_ctx " + numCtx));
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "#",
          "PROVIDER",
          "STEP",
          "RESIDENCY",
          "CONTEXT",
          "IN-FLIGHT",
          "CAPACITY",
          "FAILURES",
          "BREAKER"
        });
    ModelRoute.Candidate first = null;
    int i = 0;
    for (ModelRoute.Candidate c : route.candidates()) {
      i++;
      if (first == null && c.breaker() != BreakerState.OPEN) {
        first = c;
      }
      boolean ranked = c.step() == ModelRoute.Step.LISTED;
      rows.add(
          new String[] {
            String.valueOf(i),
            c.provider(),
            step(c.step()),
            ranked ? residency(c) : "-",
            ranked && c.loadedContextLength().isPresent()
                ? String.valueOf(c.loadedContextLength().getAsInt())
                : "-",
            ranked ? String.valueOf(c.inFlight()) : "-",
            ranked ? String.valueOf(c.capacity()) : "-",
            ranked ? String.valueOf(c.failures()) : "-",
            lower(c.breaker())
          });
    }
    ctx.out.print(Fmt.table(rows));
    // a fresh process has sent nothing: a running gateway's load is not in these columns
    ctx.out.println(
        "in-flight, failures and breakers are this process's own (none yet); a running"
            + " gateway's requests in flight: llm providers --gateway URL");
    if (first == null) {
      ctx.out.println("first: none (every candidate's breaker is open; retried after cooldown)");
    } else {
      ctx.out.println("first: " + first.provider() + " (" + why(first, route) + ")");
    }
    return ExitCodes.OK;
  }

  private static String step(ModelRoute.Step step) {
    return step == null ? "?" : lower(step);
  }

  private static String residency(ModelRoute.Candidate c) {
    return lower(c.residency()) + (c.reload() ? ", other context" : "");
  }

  /** Why the first candidate comes first, in words. */
  private static String why(ModelRoute.Candidate c, ModelRoute route) {
    if (c.step() == null) {
      return "first in the resolution order";
    }
    return switch (c.step()) {
      case PREFERRED -> "the provider asked for with --provider";
      case MAPPED -> "mapped to this model";
      case DEFAULT -> "the default provider";
      case FALLBACK -> "the first fallback that serves it";
      case OVERFLOW -> "overflow: every other candidate is saturated";
      case LISTED -> {
        List<ModelRoute.Candidate> others =
            route.candidates().stream()
                .filter(o -> o.step() == ModelRoute.Step.LISTED && o != c)
                .toList();
        String s =
            "lists the model; "
                + residency(c)
                + (c.loadedContextLength().isPresent()
                    ? " with context " + c.loadedContextLength().getAsInt()
                    : "")
                + ", busy "
                + (c.inFlight() + c.failures())
                + "/"
                + c.capacity();
        List<String> tied =
            others.stream().filter(c::tiesWith).map(ModelRoute.Candidate::provider).toList();
        if (!tied.isEmpty()) {
          s += "; tied with " + String.join(", ", tied) + " on placement: the weighted draw chose";
        } else if (!others.isEmpty()) {
          s += "; the best placement of " + (others.size() + 1);
        }
        yield s;
      }
    };
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
