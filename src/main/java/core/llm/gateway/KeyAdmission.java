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
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
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
 * with no price costs nothing, so local models stay free under a budget. Spend is kept in memory by
 * key name, so it survives a reload that keeps the key and starts again when the gateway restarts.
 */
final class KeyAdmission implements Admission {
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final ProviderConfigManager configs;
  private final LongSupplier clock;
  private final Supplier<PriceTable> prices;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> spent = new ConcurrentHashMap<>();

  KeyAdmission(ProviderConfigManager configs, LongSupplier nanoClock, Supplier<PriceTable> prices) {
    this.configs = configs;
    this.clock = nanoClock;
    this.prices = prices;
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
    if (key.budget() != null) {
      double used = spent(key.name());
      if (used >= key.budget()) {
        return Future.failedFuture(
            GatewayAccessException.limited(
                String.format(
                    Locale.ROOT,
                    "the key '%s' has spent its budget of $%.2f ($%.4f used since the gateway"
                        + " started); raise gateway.keys[].budget for it or use another key",
                    key.name(),
                    key.budget(),
                    used),
                null));
      }
    }
    Window w = windows.computeIfAbsent(key.name(), n -> new Window());
    Duration wait = w.admit(clock.getAsLong(), key);
    if (wait != null) {
      return Future.failedFuture(
          GatewayAccessException.limited(
              "the key '" + key.name() + "' reached its limit for this minute", wait));
    }
    return Future.succeededFuture(new Caller(key.name()));
  }

  @Override
  public void charge(Caller caller, String model, String provider, Usage usage) {
    Window w = windows.get(caller.keyName());
    if (w != null && usage != null && usage.totalTokens() != null) {
      w.charge(clock.getAsLong(), usage.totalTokens());
    }
    if (w != null && model != null && provider != null) {
      Double cost = cost(provider, model, usage);
      if (cost != null && cost > 0) {
        spent.computeIfAbsent(caller.keyName(), n -> new DoubleAdder()).add(cost);
      }
    }
  }

  /** What the key of that name has spent since the gateway started, in the price table's units. */
  double spent(String keyName) {
    DoubleAdder a = spent.get(keyName);
    return a == null ? 0 : a.sum();
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

  /** One key's current minute: requests admitted and tokens used. */
  private static final class Window {
    private long start = Long.MIN_VALUE;
    private int requests;
    private long tokens;

    synchronized Duration admit(long now, GatewayConfig.Key key) {
      roll(now);
      boolean overRequests = key.requestsPerMinute() != null && requests >= key.requestsPerMinute();
      boolean overTokens = key.tokensPerMinute() != null && tokens >= key.tokensPerMinute();
      if (overRequests || overTokens) {
        return Duration.ofNanos(Math.max(1, start + MINUTE_NANOS - now));
      }
      requests++;
      return null;
    }

    synchronized void charge(long now, long used) {
      roll(now);
      tokens += used;
    }

    private void roll(long now) {
      if (start == Long.MIN_VALUE || now - start >= MINUTE_NANOS) {
        start = now;
        requests = 0;
        tokens = 0;
      }
    }
  }
}
