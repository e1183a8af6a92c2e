package core.llm.factory;

import core.llm.common.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link SharedRoutingState#clustered}: the cluster's event bus carries failures, recoveries and
 * loads as they happen, and each member's in-flight counts a few times a second (a heartbeat: a
 * member not heard from for {@link #MEMBER_TIMEOUT_MS} has left, and its counts with it). The load
 * claims are an {@link AsyncMap} of the cluster with a time to live, so a claim whose holder dies
 * expires by itself.
 *
 * <p>A member that loses the cluster keeps routing on what it knows itself: publishing goes
 * nowhere, the others' counts age out, and a claim that does not answer within {@link
 * #CLAIM_TIMEOUT_MS} is this member's own choice. Once it hears from the others again, their next
 * heartbeats bring it up to date; nothing has to be replayed.
 */
final class ClusteredRoutingState implements SharedRoutingState {
  private static final System.Logger LOG = System.getLogger(LlmProviderFactory.class.getName());

  static final String FAILURE = "core.llm.cluster.failure";
  static final String RECOVERED = "core.llm.cluster.recovered";
  static final String HEARTBEAT = "core.llm.cluster.heartbeat";
  static final String LOADED = "core.llm.cluster.loaded";
  static final String CLAIMS = "core.llm.cluster.loads";

  /** How often in-flight counts go out when they changed; unchanged ones once a second. */
  static final long PUBLISH_MS = 100;

  static final long HEARTBEAT_MS = 1_000;
  static final long MEMBER_TIMEOUT_MS = 3_500;
  static final long CLAIM_TIMEOUT_MS = 1_500;

  private final Vertx vertx;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String self;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  /** The other members: id → what their last heartbeat said. */
  private final Map<String, Heard> others = new ConcurrentHashMap<>();

  /** The sum of the other members' in-flight counts: provider → model → count; replaced whole. */
  private volatile Map<String, Map<String, Integer>> remote = Map.of();

  /** When another member last saw each provider + model loaded (wall clock, ms). */
  private final Map<String, Long> loadedAt = new ConcurrentHashMap<>();

  private Member member;
  private long timer = -1;
  private JsonObject lastSent;
  private long lastSentAt;
  private Future<AsyncMap<String, String>> claims;
  private volatile long claimWarnedAt;

  private record Heard(String label, JsonObject inFlight, long at) {}

  ClusteredRoutingState(Vertx vertx, String label) {
    this.vertx = vertx;
    this.self = label == null || label.isBlank() ? id : label + " (" + id + ")";
  }

  @Override
  public synchronized void join(Member m) {
    if (member != null) {
      return;
    }
    member = m;
    consumers.add(
        vertx
            .eventBus()
            .<JsonObject>consumer(FAILURE)
            .handler(
                msg -> {
                  JsonObject b = msg.body();
                  if (!id.equals(b.getString("m"))) {
                    m.remoteFailure(b.getString("p"), kind(b.getString("k")), b.getInteger("s", 0));
                  }
                }));
    consumers.add(
        vertx
            .eventBus()
            .<JsonObject>consumer(RECOVERED)
            .handler(
                msg -> {
                  if (!id.equals(msg.body().getString("m"))) {
                    m.remoteRecovered(msg.body().getString("p"));
                  }
                }));
    consumers.add(
        vertx.eventBus().<JsonObject>consumer(HEARTBEAT).handler(msg -> heard(msg.body())));
    consumers.add(
        vertx
            .eventBus()
            .<JsonObject>consumer(LOADED)
            .handler(
                msg -> {
                  JsonObject b = msg.body();
                  if (!id.equals(b.getString("m"))) {
                    loadedAt.put(key(b.getString("p"), b.getString("model")), now());
                  }
                }));
    timer = vertx.setPeriodic(PUBLISH_MS, t -> tick());
  }

  private static ErrorKind kind(String name) {
    try {
      return name == null ? ErrorKind.CONNECTION : ErrorKind.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ErrorKind.CONNECTION; // a newer member's kind: a retryable failure all the same
    }
  }

  /** Sends this member's counts when they changed (or a heartbeat is due); drops silent members. */
  private void tick() {
    Member m;
    synchronized (this) {
      m = member;
    }
    if (m == null) {
      return;
    }
    long now = now();
    JsonObject counts = new JsonObject();
    m.inFlight()
        .forEach(
            (provider, byModel) -> {
              JsonObject models = new JsonObject();
              byModel.forEach(
                  (model, n) -> {
                    if (n > 0) {
                      models.put(model, n);
                    }
                  });
              if (!models.isEmpty()) {
                counts.put(provider, models);
              }
            });
    if (!counts.equals(lastSent) || now - lastSentAt >= HEARTBEAT_MS) {
      lastSent = counts;
      lastSentAt = now;
      vertx
          .eventBus()
          .publish(HEARTBEAT, new JsonObject().put("m", id).put("l", self).put("f", counts));
    }
    boolean left = others.entrySet().removeIf(e -> now - e.getValue().at > MEMBER_TIMEOUT_MS);
    if (left) {
      LOG.log(
          System.Logger.Level.WARNING,
          "llm cluster: a member stopped answering; routing goes on with the members left ("
              + members().size()
              + " now)");
      sumRemote();
    }
  }

  private void heard(JsonObject b) {
    String from = b.getString("m");
    if (id.equals(from)) {
      return;
    }
    Heard before = others.put(from, new Heard(b.getString("l", from), b.getJsonObject("f"), now()));
    if (before == null) {
      LOG.log(
          System.Logger.Level.INFO, "llm cluster: member " + b.getString("l", from) + " joined");
    }
    if (before == null || !before.inFlight.equals(b.getJsonObject("f"))) {
      sumRemote();
    }
  }

  private void sumRemote() {
    Map<String, Map<String, Integer>> sum = new HashMap<>();
    for (Heard h : others.values()) {
      if (h.inFlight == null) {
        continue;
      }
      for (String provider : h.inFlight.fieldNames()) {
        JsonObject models = h.inFlight.getJsonObject(provider);
        Map<String, Integer> byModel = sum.computeIfAbsent(provider, k -> new HashMap<>());
        for (String model : models.fieldNames()) {
          byModel.merge(model, models.getInteger(model, 0), Integer::sum);
        }
      }
    }
    remote = sum;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public List<String> members() {
    List<String> all = new ArrayList<>();
    all.add(self);
    others.values().forEach(h -> all.add(h.label));
    return all;
  }

  @Override
  public void failure(String provider, ErrorKind kind, int status) {
    vertx
        .eventBus()
        .publish(
            FAILURE,
            new JsonObject()
                .put("m", id)
                .put("p", provider)
                .put("k", kind == null ? null : kind.name())
                .put("s", status));
  }

  @Override
  public void recovered(String provider) {
    vertx.eventBus().publish(RECOVERED, new JsonObject().put("m", id).put("p", provider));
  }

  @Override
  public int remoteInFlight(String provider, String model) {
    Map<String, Integer> byModel = remote.get(provider);
    if (byModel == null) {
      return 0;
    }
    Integer n = byModel.get(model);
    return n == null ? 0 : n;
  }

  @Override
  public void loaded(String provider, String model) {
    vertx
        .eventBus()
        .publish(LOADED, new JsonObject().put("m", id).put("p", provider).put("model", model));
  }

  @Override
  public boolean loadedElsewhere(String provider, String model, Duration maxAge) {
    if (loadedAt.isEmpty()) {
      return false;
    }
    Long at = loadedAt.get(key(provider, model));
    return at != null && now() - at <= maxAge.toMillis();
  }

  @Override
  public Future<String> claimLoad(String load, String provider, Duration ttl) {
    return claims()
        .compose(map -> map.putIfAbsent(load, provider, Math.max(1, ttl.toMillis())))
        .timeout(CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(holder -> holder == null ? provider : holder)
        .recover(
            e -> {
              long now = now();
              if (now - claimWarnedAt > 60_000) {
                claimWarnedAt = now;
                LOG.log(
                    System.Logger.Level.WARNING,
                    "llm cluster: the load claims did not answer ("
                        + e.getMessage()
                        + "); loading where this member chooses until the cluster answers again");
              }
              return Future.succeededFuture(provider);
            });
  }

  @Override
  public void releaseLoad(String load, String provider) {
    claims()
        .compose(map -> map.removeIfPresent(load, provider))
        .timeout(CLAIM_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> {}); // it expires by itself
  }

  private synchronized Future<AsyncMap<String, String>> claims() {
    if (claims == null || claims.failed()) {
      claims = vertx.sharedData().getAsyncMap(CLAIMS);
    }
    return claims;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    synchronized (this) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      consumers.forEach(c -> all.add(c.unregister()));
      consumers.clear();
      member = null;
    }
    return Future.join(all).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private static String key(String provider, String model) {
    return provider + '\n' + model;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
