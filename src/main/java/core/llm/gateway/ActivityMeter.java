package core.llm.gateway;

import core.llm.common.Usage;
import core.llm.observability.PriceTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dashboard's traffic figures: requests and tokens per second and cost over the last minute (60
 * one-second buckets), requests and errors per model and per provider since start, and the last
 * {@link #MAX_ERRORS} failed requests. Memory is bounded: a fixed ring of buckets, at most {@link
 * #MAX_NAMES} model and provider names (model names come from callers), {@link #MAX_ERRORS} errors.
 *
 * <p>Every field is touched on one event-loop context only, so nothing is locked: a call that
 * arrives on another thread (a second event loop, a test) is moved onto that context first.
 *
 * <p>The gateway's own pages (operations, dashboard) are not counted: a dashboard polling every two
 * seconds would otherwise be most of the traffic it shows.
 */
final class ActivityMeter implements ExchangeListener {
  static final int WINDOW_SECONDS = 60;
  static final int MAX_ERRORS = 20;
  static final int MAX_NAMES = 50;

  /** Where names beyond {@link #MAX_NAMES} are counted. */
  static final String OTHER = "(other)";

  private final Context home;
  private final Supplier<PriceTable> prices;
  private final LongSupplier clockMillis;
  private final long startSecond;

  // ring of one-second buckets, indexed by second % WINDOW_SECONDS; a slot whose second is stale
  // is empty
  private final long[] second = new long[WINDOW_SECONDS];
  private final long[] requests = new long[WINDOW_SECONDS];
  private final long[] tokensIn = new long[WINDOW_SECONDS];
  private final long[] tokensOut = new long[WINDOW_SECONDS];
  private final double[] cost = new double[WINDOW_SECONDS];
  private final boolean[] priced = new boolean[WINDOW_SECONDS];

  private final Map<String, long[]> byModel = new LinkedHashMap<>();
  private final Map<String, long[]> byProvider = new LinkedHashMap<>();
  private final ArrayDeque<JsonObject> errors = new ArrayDeque<>();
  private long total;
  private long totalErrors;

  /**
   * @param vertx whose event loop the meter lives on
   * @param prices the price table in force (read per request: it can change while serving)
   * @param clockMillis wall-clock milliseconds (tests pass their own)
   */
  ActivityMeter(Vertx vertx, Supplier<PriceTable> prices, LongSupplier clockMillis) {
    this.home = vertx.getOrCreateContext();
    this.prices = prices;
    this.clockMillis = clockMillis;
    this.startSecond = clockMillis.getAsLong() / 1000;
    Arrays.fill(second, -1);
  }

  @Override
  public void requestEnded(RequestNotes notes, int status) {
    // the time it ended, not the time the meter's loop gets to it
    long atMillis = clockMillis.getAsLong();
    if (Vertx.currentContext() == home) {
      record(notes, status, atMillis);
    } else {
      home.runOnContext(v -> record(notes, status, atMillis));
    }
  }

  /** The figures now, as the activity endpoint serves them; completes on the meter's context. */
  Future<JsonObject> snapshot() {
    if (Vertx.currentContext() == home) {
      return Future.succeededFuture(toJson());
    }
    Promise<JsonObject> p = Promise.promise();
    home.runOnContext(v -> p.complete(toJson()));
    return p.future();
  }

  private void record(RequestNotes n, int status, long atMillis) {
    if ("ops".equals(n.api) || DashboardApi.API.equals(n.api)) {
      return;
    }
    int slot = slot(atMillis / 1000);
    boolean failed = status >= 400 || n.failure != null;
    total++;
    Usage u = n.usage;
    if (slot >= 0) {
      requests[slot]++;
      if (u != null) {
        tokensIn[slot] += u.promptTokens() == null ? 0 : u.promptTokens();
        tokensOut[slot] += u.completionTokens() == null ? 0 : u.completionTokens();
        Double c = prices.get().cost(n.provider, n.model, u);
        if (c != null) {
          cost[slot] += c;
          priced[slot] = true;
        }
      }
    }
    if (n.model != null) {
      count(byModel, RequestLogLine.clean(n.model), failed);
    }
    if (n.provider != null) {
      count(byProvider, n.provider, failed);
    }
    if (failed) {
      totalErrors++;
      if (errors.size() == MAX_ERRORS) {
        errors.removeFirst();
      }
      errors.addLast(error(n, status, atMillis));
    }
  }

  /**
   * The bucket for {@code sec}, emptied first if it last held an older second; -1 when it already
   * holds a newer one (a report that waited a minute to reach this loop: outside the window).
   */
  private int slot(long sec) {
    int i = (int) (sec % WINDOW_SECONDS);
    if (second[i] > sec) {
      return -1;
    }
    if (second[i] != sec) {
      second[i] = sec;
      requests[i] = 0;
      tokensIn[i] = 0;
      tokensOut[i] = 0;
      cost[i] = 0;
      priced[i] = false;
    }
    return i;
  }

  private static void count(Map<String, long[]> counts, String name, boolean failed) {
    long[] c = counts.get(name);
    if (c == null) {
      c = counts.computeIfAbsent(counts.size() < MAX_NAMES ? name : OTHER, k -> new long[2]);
    }
    c[0]++;
    if (failed) {
      c[1]++;
    }
  }

  /** Names and numbers only: the key's name, never the key; no message (it may quote a prompt). */
  private static JsonObject error(RequestNotes n, int status, long atMillis) {
    String kind =
        n.failure != null
            ? GatewayErrors.kind(n.failure).name()
            : n.clientGone ? "CLIENT_GONE" : "HTTP_" + status;
    return new JsonObject()
        .put("time", Instant.ofEpochMilli(atMillis).toString())
        .put("method", n.method)
        .put("path", RequestLogLine.clean(n.path))
        .put("status", status)
        .put("kind", kind)
        .put("api", n.api)
        .put("model", n.model == null ? null : RequestLogLine.clean(n.model))
        .put("provider", n.provider)
        .put("key", n.caller == null ? null : n.caller.keyName());
  }

  private JsonObject toJson() {
    long nowSec = clockMillis.getAsLong() / 1000;
    // a gateway up for 10 s averages over 10 s, not over a minute it was not running
    long span = Math.max(1, Math.min(WINDOW_SECONDS, nowSec - startSecond + 1));
    long req = 0;
    long in = 0;
    long out = 0;
    double spent = 0;
    boolean anyPriced = false;
    JsonArray perSecond = new JsonArray();
    for (long s = nowSec - WINDOW_SECONDS + 1; s <= nowSec; s++) {
      int i = (int) (Math.floorMod(s, WINDOW_SECONDS));
      boolean live = second[i] == s;
      long r = live ? requests[i] : 0;
      perSecond.add(r);
      if (live) {
        req += r;
        in += tokensIn[i];
        out += tokensOut[i];
        spent += cost[i];
        anyPriced |= priced[i];
      }
    }
    JsonArray recent = new JsonArray();
    for (Iterator<JsonObject> it = errors.descendingIterator(); it.hasNext(); ) {
      recent.add(it.next().copy());
    }
    PriceTable table = prices.get();
    return new JsonObject()
        .put("windowSeconds", span)
        .put("requestsPerSecond", (double) req / span)
        .put("tokensInPerSecond", (double) in / span)
        .put("tokensOutPerSecond", (double) out / span)
        .put("requestsLastMinute", req)
        .put("tokensInLastMinute", in)
        .put("tokensOutLastMinute", out)
        // absent price is unknown cost, not free: null unless some request in the window was priced
        .put("costLastMinute", anyPriced ? spent : null)
        .put("currency", table.currency())
        .put("requestsPerSecondSeries", perSecond)
        .put("requests", total)
        .put("errors", totalErrors)
        .put("models", counts(byModel))
        .put("providers", counts(byProvider))
        .put("recentErrors", recent);
  }

  private static JsonArray counts(Map<String, long[]> counts) {
    JsonArray a = new JsonArray();
    counts.forEach(
        (name, c) ->
            a.add(new JsonObject().put("name", name).put("requests", c[0]).put("errors", c[1])));
    return a;
  }
}
