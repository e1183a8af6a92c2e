package core.llm.gateway;

import core.llm.common.Usage;
import core.llm.observability.PriceTable;
import core.llm.providers.config.GatewayConfig;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gateway's keys, from the configuration in force (a reload adds or revokes keys at once). A
 * key is recognised by its SHA-256, compared in constant time; the key itself is never kept, logged
 * or counted under. Limits are fixed one-minute windows per key name: requests are counted when
 * admitted, tokens when a request ends (so the request that crosses the token limit completes, and
 * the next one waits).
 *
 * <p>A key's {@code budget} is what its requests may cost in all, at the price table's rates, since
 * the gateway started: each finished request adds its usage times its model's price; once the sum
 * reaches the budget the key is refused (429 without Retry-After: waiting will not help). A model
 * with no price costs nothing, so local models stay free under a budget. Spend is kept by key name,
 * so it survives a reload that keeps the key, in this process ({@link LocalKeyCounters}, from the
 * gateway's start) or in the cluster ({@link ClusterKeyCounters}).
 */
final class KeyAdmission implements Admission {
  private final ProviderConfigManager configs;
  private final Supplier<PriceTable> prices;
  private final KeyCounters counters;

  KeyAdmission(ProviderConfigManager configs, LongSupplier nanoClock, Supplier<PriceTable> prices) {
    this(configs, prices, new LocalKeyCounters(nanoClock));
  }

  /** With the counters given: {@link ClusterKeyCounters} when the gateway is in a cluster. */
  KeyAdmission(ProviderConfigManager configs, Supplier<PriceTable> prices, KeyCounters counters) {
    this.configs = configs;
    this.prices = prices;
    this.counters = counters;
  }

  @Override
  public Future<Caller> admit(RoutingContext rc, String model) {
    LlmConfig config = configs.snapshot();
    GatewayConfig gateway = config.gateway();
    if (gateway.keys().isEmpty()) {
      return Future.succeededFuture(Caller.ANONYMOUS);
    }
    String presented = presentedKey(rc);
    if (presented == null) {
      return Future.failedFuture(
          GatewayAccessException.unauthenticated(
              "this gateway needs a key: send it as Authorization: Bearer KEY or x-api-key: KEY"));
    }
    GatewayConfig.Key key = find(gateway, sha256(presented));
    if (key == null) {
      return Future.failedFuture(
          GatewayAccessException.unauthenticated(
              "the gateway key is not valid: check it against the one its operator gave you"
                  + " (keys are matched exactly; a revoked key stops working at the next reload)"));
    }
    if (model != null && !key.models().isEmpty() && !allowed(config, key, model)) {
      return Future.failedFuture(
          GatewayAccessException.forbidden(
              "the key '" + key.name() + "' may not use model '" + model + "'"));
    }
    GatewayConfig.Key admitted = key;
    Future<Double> budgetLeft =
        key.budget() == null ? Future.succeededFuture() : counters.spent(key.name());
    return budgetLeft.compose(
        used -> {
          if (used != null && used >= admitted.budget()) {
            return Future.failedFuture(
                GatewayAccessException.limited(
                    String.format(
                        Locale.ROOT,
                        "the key '%s' has spent its budget of $%.2f ($%.4f used since the gateway"
                            + " started); raise gateway.keys[].budget for it or use another key",
                        admitted.name(),
                        admitted.budget(),
                        used),
                    null));
          }
          return counters
              .admit(admitted.name(), admitted.requestsPerMinute(), admitted.tokensPerMinute())
              .compose(
                  wait ->
                      wait == null
                          ? Future.succeededFuture(new Caller(admitted.name()))
                          : Future.failedFuture(
                              GatewayAccessException.limited(
                                  "the key '"
                                      + admitted.name()
                                      + "' reached its limit for this minute",
                                  wait)));
        });
  }

  @Override
  public void charge(Caller caller, String model, String provider, Usage usage) {
    if (caller == null || caller == Caller.ANONYMOUS || caller.keyName() == null) {
      return;
    }
    if (usage != null && usage.totalTokens() != null && limitsTokens(caller.keyName())) {
      counters.addTokens(caller.keyName(), usage.totalTokens());
    }
    if (model != null && provider != null) {
      Double cost = cost(provider, model, usage);
      if (cost != null && cost > 0) {
        counters.addSpend(caller.keyName(), cost);
      }
    }
  }

  /** Whether the key of that name has a token limit (only then are its tokens counted). */
  private boolean limitsTokens(String keyName) {
    for (GatewayConfig.Key k : configs.snapshot().gateway().keys()) {
      if (keyName.equals(k.name())) {
        return k.tokensPerMinute() != null;
      }
    }
    return false;
  }

  @Override
  public void close() {
    counters.close();
  }

  /** What the key of that name has spent since counting began, in the price table's units. */
  double spent(String keyName) {
    return counters.spent(keyName).await();
  }

  /** The price of a request under the model's name as asked, else under what its alias names. */
  private Double cost(String provider, String model, Usage usage) {
    PriceTable table = prices.get();
    Double cost = table.cost(provider, model, usage);
    if (cost == null) {
      String resolved = configs.snapshot().resolveAlias(model);
      cost = resolved.equals(model) ? null : table.cost(provider, resolved, usage);
    }
    return cost;
  }

  private static String presentedKey(RoutingContext rc) {
    String auth = rc.request().getHeader("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String k = auth.substring(7).strip();
      return k.isEmpty() ? null : k;
    }
    for (String header : new String[] {"x-api-key", "api-key"}) {
      String k = rc.request().getHeader(header);
      if (k != null && !k.isBlank()) {
        return k.strip();
      }
    }
    return null;
  }

  private static GatewayConfig.Key find(GatewayConfig gateway, byte[] digest) {
    GatewayConfig.Key found = null;
    for (GatewayConfig.Key k : gateway.keys()) {
      byte[] expected;
      try {
        expected = HexFormat.of().parseHex(k.sha256() == null ? "" : k.sha256().strip());
      } catch (IllegalArgumentException e) {
        continue; // not a hex digest: matches nothing
      }
      // every key compared, in constant time: the time taken says nothing about which matched
      if (MessageDigest.isEqual(expected, digest) && found == null) {
        found = k;
      }
    }
    return found;
  }

  private static boolean allowed(LlmConfig config, GatewayConfig.Key key, String model) {
    String resolved = config.resolveAlias(model);
    for (String m : key.models()) {
      if (core.llm.common.ModelNames.sameModel(m, model)
          || core.llm.common.ModelNames.sameModel(config.resolveAlias(m), resolved)) {
        return true;
      }
    }
    return false;
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
