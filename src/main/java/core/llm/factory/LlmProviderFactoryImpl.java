package core.llm.factory;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.ModelNames;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ConfigChange;
import core.llm.providers.config.ConfigValidator;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/** The {@link LlmProviderFactory}: slots per provider, breakers per provider, reload handling. */
final class LlmProviderFactoryImpl implements LlmProviderFactory, Lease.Outcomes {
  private static final System.Logger LOG = System.getLogger(LlmProviderFactory.class.getName());

  private final Vertx vertx;
  private final ProviderConfigManager configs;
  private final Map<String, ProviderCreator> creators;
  private final SecretResolver secrets;
  private final RoutingClock clock;
  private final DoubleSupplier random;
  private final List<UnaryOperator<LlmProvider>> decorators;
  private final SharedRoutingState shared;
  private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();

  /** Observed request and load durations: what placement weighs a queue against. */
  private final ServiceTimes serviceTimes = new ServiceTimes();

  /**
   * Requests routed and not yet finished, per provider and model (see {@link #lease(String,
   * String)}).
   */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicInteger>> modelInflight =
      new ConcurrentHashMap<>();

  private final Consumer<ConfigChange> onChange = this::onConfigChange;
  private final LlmProvider router;

  /** Runtime registrations, canonical model → provider; replaced whole (copy on write). */
  private volatile Map<String, String> registered = Map.of();

  /** Lookup tables of the configuration in force; rebuilt when the snapshot object changes. */
  private volatile Resolver resolver;

  private volatile boolean closed;

  /** Set by {@link #start()}: providers are created eagerly and started. */
  private volatile boolean started;

  LlmProviderFactoryImpl(
      Vertx vertx,
      ProviderConfigManager configs,
      Map<String, ProviderCreator> creators,
      SecretResolver secrets,
      RoutingClock clock,
      DoubleSupplier random,
      List<RoutingListener> listeners,
      List<UnaryOperator<LlmProvider>> decorators,
      SharedRoutingState shared) {
    this.vertx = vertx;
    this.configs = configs;
    this.creators = creators;
    this.secrets = secrets;
    this.clock = clock;
    this.random = random;
    this.decorators = decorators;
    this.shared = shared;
    this.listeners.addAll(listeners);
    this.router = new RoutedProvider(this, null);
    configs.addListener(onChange);
  }

  // ---- public API ----

  @Override
  public Future<LlmProvider> provider(String name) {
    try {
      return Future.succeededFuture(handle(name));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> start() {
    started = true;
    shared.join(sharedMember);
    try {
      return startAll(resolver().enabledNames());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> startAll(List<String> names) {
    List<Future<Void>> all = new ArrayList<>();
    for (String name : names) {
      all.add(startOne(name));
    }
    return Future.all(all).mapEmpty();
  }

  private Future<Void> startOne(String name) {
    Future<Void> f;
    try {
      Resolver r = resolver();
      if (r.enabled(name) == null) {
        return Future.succeededFuture(); // disabled or removed since: nothing to start
      }
      f = slot(name, r).start();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.onFailure(
        e ->
            LOG.log(
                System.Logger.Level.WARNING,
                "llm provider '"
                    + name
                    + "' could not start its background work: "
                    + e.getMessage()));
  }

  /** The handle of the named provider for the configuration in force; throws when there is none. */
  ManagedProvider handle(String name) {
    Resolver r = resolver();
    if (r.enabled(name) == null) {
      throw new ProviderNotFoundException(name, r.enabledNames());
    }
    Slot slot = slot(name, r);
    slot.instance(); // surface creation failures here, and create exactly once
    if (started) {
      slot.start(); // a slot a request created after a reload, before the change event
    }
    return slot.handle(this);
  }

  @Override
  public ModelRoute route(String model, String preferred) {
    return route(model, preferred, null);
  }

  @Override
  public ModelRoute route(String model, String preferred, Integer contextLength) {
    // The router's own plan (routing(...) below), with the same placement function; the inputs
    // of each candidate's score are then read once more to explain it.
    LoadSettings settings = LoadSettings.ofNumCtx(contextLength);
    Resolver.Plan plan =
        resolver().plan(model, preferred, registered, random, (p, m) -> placement(p, m, settings));
    List<ModelRoute.Candidate> candidates = new ArrayList<>(plan.candidates().size());
    for (String name : plan.candidates()) {
      PlacementInputs in = placementInputs(name, plan.model(), settings, true);
      Breaker b = breakers.get(name);
      candidates.add(
          new ModelRoute.Candidate(
              name,
              plan.step(name),
              in.residency(),
              in.reload(),
              in.loadedContextLength(),
              in.inflight(),
              in.capacity(),
              in.failures(),
              b == null ? BreakerState.CLOSED : b.state(),
              in.requestNanos(),
              in.loadNanos(),
              in.hostModelsInUse(),
              in.hostInFlight()));
    }
    return new ModelRoute(plan.model(), plan.candidates(), candidates);
  }

  @Override
  public Future<List<HostState>> refreshResidency() {
    List<Future<HostState>> all = new ArrayList<>();
    try {
      Resolver r = resolver();
      for (String name : r.enabledNames()) {
        all.add(refreshOne(name, r));
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.join(all)
        .transform(ar -> Future.succeededFuture(all.stream().map(Future::result).toList()));
  }

  /** One provider's {@code /api/ps} (through its model control), folded into its host state. */
  private Future<HostState> refreshOne(String name, Resolver r) {
    Slot slot;
    LlmProvider instance;
    try {
      slot = slot(name, r);
      instance = slot.instance();
    } catch (RuntimeException e) {
      return Future.succeededFuture(
          new HostState(name, false, List.of(), 0, parallel(r.enabled(name)), e.getMessage()));
    }
    int capacity = parallel(slot.config);
    java.util.Optional<core.llm.providers.base.ModelControl> control = instance.modelControl();
    if (control.isEmpty()) {
      return Future.succeededFuture(
          new HostState(name, false, List.of(), slot.inflight(), capacity, null));
    }
    Future<List<String>> loaded;
    try {
      loaded = control.get().loadedModels();
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    return loaded.transform(
        ar -> {
          if (ar.failed()) {
            return Future.succeededFuture(
                new HostState(
                    name,
                    false,
                    List.of(),
                    slot.inflight(),
                    capacity,
                    String.valueOf(ar.cause().getMessage())));
          }
          List<HostState.Loaded> models = new ArrayList<>();
          for (String m : ar.result()) {
            models.add(new HostState.Loaded(m, instance.loadedContextLength(m)));
          }
          return Future.succeededFuture(
              new HostState(name, true, models, slot.inflight(), capacity, null));
        });
  }

  @Override
  public Future<LlmProvider> providerForModel(String model) {
    return providerForModel(model, null);
  }

  @Override
  public Future<LlmProvider> providerForModel(String model, String preferred) {
    try {
      Resolver r = resolver();
      Resolver.Plan plan = r.plan(model, preferred, registered, random);
      List<ServiceUnavailableException.Attempt> skipped = new ArrayList<>();
      for (String name : plan.candidates()) {
        if (available(name)) {
          return provider(name);
        }
        skipped.add(new ServiceUnavailableException.Attempt(name, null, 0, "cooling down"));
      }
      return Future.failedFuture(
          new ServiceUnavailableException(plan.model(), skipped, null, null));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public synchronized void registerModel(String model, String provider) {
    Resolver r = resolver();
    if (r.enabled(provider) == null) {
      throw new ProviderNotFoundException(provider, r.enabledNames());
    }
    Map<String, String> next = new HashMap<>(registered);
    next.put(ModelNames.canonical(model), provider);
    registered = Map.copyOf(next);
  }

  @Override
  public List<ProviderStatus> availableProviders() {
    LlmConfig c = resolver().config;
    long now = clock.nanoTime();
    long cooldown = cooldownNanos();
    List<ProviderStatus> out = new ArrayList<>();
    for (ProviderConfig p : c.enabledProviders()) {
      Slot s = slots.get(p.name());
      out.add(
          breaker(p.name())
              .status(p.name(), p.type(), p.weight(), s != null && s.created(), now, cooldown));
    }
    return out;
  }

  @Override
  public LlmProvider router() {
    return router;
  }

  @Override
  public LlmProvider router(String preferred) {
    return new RoutedProvider(this, preferred);
  }

  @Override
  public LlmProviderFactory addListener(RoutingListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public Future<Void> close() {
    return shutdown(java.time.Duration.ZERO);
  }

  @Override
  public Future<Void> shutdown(java.time.Duration grace) {
    closed = true;
    shared.close();
    configs.removeListener(onChange);
    List<Slot> retiring = new ArrayList<>();
    List<Future<Void>> closing = new ArrayList<>();
    for (String name : List.copyOf(slots.keySet())) {
      Slot s = slots.remove(name);
      if (s != null) {
        retiring.add(s);
        closing.add(s.retire());
      }
    }
    Future<Void> all = Future.join(closing).mapEmpty();
    long graceMs = grace == null ? 0 : core.llm.common.TimerDelays.millis(grace);
    if (graceMs <= 0) {
      retiring.forEach(Slot::closeNow);
    } else if (!all.isComplete()) {
      long timer = vertx.setTimer(graceMs, id -> retiring.forEach(Slot::closeNow));
      all.onComplete(ar -> vertx.cancelTimer(timer));
    }
    return all;
  }

  // ---- for routing ----

  Resolver resolver() {
    if (closed) {
      throw Errors.factoryClosed();
    }
    return currentResolver();
  }

  /** Throws the typed "factory was closed" error once {@link #close()} began. */
  void ensureOpen() {
    if (closed) {
      throw Errors.factoryClosed();
    }
  }

  /** The resolver for the configuration in force, closed or not (for breaker bookkeeping). */
  private Resolver currentResolver() {
    LlmConfig c =
        configs.snapshot(); // one volatile read: mapping, aliases, default switch together
    Resolver r = resolver;
    if (r == null || r.config != c) {
      r = new Resolver(c);
      resolver = r;
    }
    return r;
  }

  /** The candidates for a model with the runtime registrations, as routing would see them. */
  Resolver.Plan plan(String model, String preferred) {
    return resolver()
        .plan(model, preferred, registered, random, (p, m) -> placement(p, m, LoadSettings.NONE));
  }

  Routing routing(String model, String preferred) {
    return routing(model, preferred, LoadSettings.NONE);
  }

  /** {@code settings}: the request's load-time options, which a loaded copy must match. */
  Routing routing(String model, String preferred, LoadSettings settings) {
    Resolver r = resolver();
    return new Routing(
        this,
        r.plan(model, preferred, registered, random, (p, m) -> placement(p, m, settings)),
        r.config.routing(),
        settings);
  }

  /**
   * How a provider stands for a model now: the residency its instance reports (none for a provider
   * not created yet), then its in-flight requests for the model plus recent failures over the
   * model's capacity ({@code options.parallel}, default 1, per model as Ollama's {@code
   * OLLAMA_NUM_PARALLEL}).
   */
  private Placement.Score placement(String name, String model, LoadSettings settings) {
    return placementInputs(name, model, settings, false).score();
  }

  /**
   * What {@link #placement} scores: the effective residency (with the reload flag), the loaded
   * context length, in-flight requests, capacity and recent failures.
   */
  record PlacementInputs(
      core.llm.providers.base.Residency residency,
      boolean reload,
      java.util.OptionalInt loadedContextLength,
      int inflight,
      int capacity,
      int failures,
      long requestNanos,
      long loadNanos,
      int hostModelsInUse,
      int hostInFlight) {
    Placement.Score score() {
      return ModelRoute.Candidate.score(
          residency,
          reload,
          inflight,
          failures,
          capacity,
          requestNanos,
          loadNanos,
          hostModelsInUse,
          hostInFlight);
    }
  }

  /**
   * {@code explain}: also read the loaded copy's context length when the request asks for none
   * (what {@code llm route} shows); placement itself needs it only to compare with a {@code
   * num_ctx}.
   */
  private PlacementInputs placementInputs(
      String name, String model, LoadSettings settings, boolean explain) {
    Integer contextLength = settings.numCtx();
    Slot s = slots.get(name);
    core.llm.providers.base.Residency residency = core.llm.providers.base.Residency.UNKNOWN;
    boolean reload = false;
    java.util.OptionalInt loadedContext = java.util.OptionalInt.empty();
    int inflight = 0;
    int capacity = 1;
    int modelsInUse = 0;
    if (s != null && s.created()) {
      LlmProvider instance = s.instance();
      residency = instance.residency(model);
      if (contextLength != null || explain) {
        loadedContext = instance.loadedContextLength(model);
      }
      // loaded, but with another context: serving it means a reload; still ahead of a host that
      // would load it cold, behind one whose copy matches
      reload =
          (contextLength != null
                  && loadedContext.isPresent()
                  && loadedContext.getAsInt() != contextLength)
              || (residency == core.llm.providers.base.Residency.LOADED
                  && runnerDiffers(name, model, settings));
      // two lookups, no key to build: placement reads this for every candidate of every request
      ConcurrentHashMap<String, AtomicInteger> byModel = modelInflight.get(name);
      AtomicInteger sent = byModel == null ? null : byModel.get(canonical(model));
      if (byModel != null) {
        for (AtomicInteger n : byModel.values()) {
          if (n.get() > 0) {
            modelsInUse++;
          }
        }
      }
      if (sent != null
          && sent.get() > 0
          && residency.ordinal() > core.llm.providers.base.Residency.LOADING.ordinal()) {
        residency = core.llm.providers.base.Residency.LOADING; // a request of ours is loading it
        reload = false;
      }
      // Ollama's OLLAMA_NUM_PARALLEL is per loaded model: count this model's requests only, and
      // the other members' when a cluster shares them
      inflight = sent == null ? 0 : Math.max(0, sent.get());
      if (shared.shared()) {
        int elsewhere = shared.remoteInFlight(name, canonical(model));
        if (elsewhere > 0
            && residency.ordinal() > core.llm.providers.base.Residency.LOADING.ordinal()) {
          residency = core.llm.providers.base.Residency.LOADING; // another member's is loading it
          reload = false;
        }
        if (residency.ordinal() > core.llm.providers.base.Residency.LOADED.ordinal()
            && shared.loadedElsewhere(name, canonical(model), REMOTE_LOAD_FRESH)) {
          residency = core.llm.providers.base.Residency.LOADED;
        }
        inflight += elsewhere;
      }
      capacity = s.parallel;
    }
    Breaker b = breakers.get(name);
    int failures = b == null ? 0 : b.failures();
    long requestNanos = ServiceTimes.DEFAULT_REQUEST_NANOS;
    long loadNanos = ServiceTimes.DEFAULT_LOAD_NANOS;
    // the observed durations matter only for a loaded copy with a queue (and for llm route)
    if (explain
        || (residency == core.llm.providers.base.Residency.LOADED
            && inflight + failures >= capacity)) {
      requestNanos = serviceTimes.requestNanos(name, canonical(model));
      loadNanos = serviceTimes.loadNanos(canonical(model));
    }
    return new PlacementInputs(
        residency,
        reload,
        loadedContext,
        inflight,
        capacity,
        failures,
        requestNanos,
        loadNanos,
        modelsInUse,
        s == null ? 0 : s.inflight());
  }

  /**
   * How long another member's word that a model is loaded outranks this member's own view: until
   * its own poll of {@code /api/ps} has had time to see it (Ollama keeps a model 5 minutes).
   */
  static final Duration REMOTE_LOAD_FRESH = Duration.ofSeconds(30);

  /** How long a claim on a cold load holds: the longest a load takes, near enough. */
  static final Duration LOAD_CLAIM_TTL = Duration.ofSeconds(60);

  /**
   * Model digests per provider and model, learned while each answered (see {@link #sameWeights}).
   */
  private final ConcurrentHashMap<String, String> digests = new ConcurrentHashMap<>();

  /** Learns, in the background, the digest of the model a provider just embedded with. */
  void rememberDigest(LlmProvider provider, String model) {
    String key = modelKey(provider.name(), model);
    if (digests.containsKey(key)) {
      return;
    }
    provider.modelDigest(model).onSuccess(d -> d.ifPresent(v -> digests.put(key, v)));
  }

  /**
   * Succeeds when {@code next} holds the same weights as {@code first} for the model (same digest);
   * fails with a non-retryable {@link core.llm.common.BadRequestException} saying why otherwise,
   * which stops the failover: embeddings of two models must not be mixed in one index. A digest
   * neither provider can give (hosted APIs) counts as the same model by name.
   */
  Future<Void> sameWeights(LlmProvider first, LlmProvider next, String model) {
    Future<java.util.Optional<String>> a = digestOf(first, model);
    Future<java.util.Optional<String>> b = digestOf(next, model);
    return Future.join(a, b)
        .transform(
            ar -> {
              java.util.Optional<String> da = a.succeeded() ? a.result() : null;
              java.util.Optional<String> db = b.succeeded() ? b.result() : null;
              if (da != null && db != null && da.isEmpty() && db.isEmpty()) {
                return Future.succeededFuture(); // neither has digests: same model by name
              }
              if (da != null && db != null && da.equals(db)) {
                return Future.succeededFuture();
              }
              String why =
                  da == null || da.isEmpty()
                      ? "the digest of '" + model + "' on '" + first.name() + "' is unknown"
                      : db == null || db.isEmpty()
                          ? "'" + next.name() + "' has no digest for '" + model + "'"
                          : "'"
                              + first.name()
                              + "' has "
                              + abbreviate(da.get())
                              + " and '"
                              + next.name()
                              + "' has "
                              + abbreviate(db.get());
              return Future.failedFuture(
                  new core.llm.common.BadRequestException(
                      "Not failing over the embedding of '"
                          + model
                          + "' from '"
                          + first.name()
                          + "' to '"
                          + next.name()
                          + "': "
                          + why
                          + "; vectors of different weights must not be mixed in one index (pull"
                          + " the same model on both hosts, or retry later)",
                      core.llm.common.ErrorContext.of(next.name(), "embed")));
            });
  }

  private Future<java.util.Optional<String>> digestOf(LlmProvider provider, String model) {
    String known = digests.get(modelKey(provider.name(), model));
    if (known != null) {
      return Future.succeededFuture(java.util.Optional.of(known));
    }
    return provider
        .modelDigest(model)
        .onSuccess(d -> d.ifPresent(v -> digests.put(modelKey(provider.name(), model), v)));
  }

  private static String abbreviate(String digest) {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /** Whether the provider is marked {@code overflow: true} in the configuration in force. */
  boolean isOverflow(String name) {
    core.llm.providers.config.ProviderConfig p = currentResolver().enabled(name);
    return p != null && p.overflow();
  }

  /**
   * The load-time options this factory last sent per provider and model (empty until a request sets
   * one): the only way to know what a loaded copy runs with besides its context length.
   */
  private final ConcurrentHashMap<String, LoadSettings> loadedWith = new ConcurrentHashMap<>();

  /**
   * Loads in flight that this factory started for a chat, per provider, model and load-time
   * options: every request for that model on that host waits on the one load.
   */
  private final ConcurrentHashMap<String, Future<Void>> sharedLoads = new ConcurrentHashMap<>();

  /**
   * The load a chat must wait for before it is sent to {@code provider}, or null when there is none
   * to wait for ({@code routing.sharedLoads} off, the model is loaded as the request needs it, the
   * provider does not manage models, the model is known absent). A cold model is loaded by one
   * request of the factory's own, not by the caller's: Ollama aborts a load whose requester goes
   * away, so a caller that gives up (a cancelled stream, a client that left the gateway) would
   * otherwise throw away the load every other request waits for.
   */
  Future<Void> sharedLoad(String name, LlmProvider provider, String model, LoadSettings settings) {
    Map<String, Object> options = loadToShare(provider, name, model, settings);
    if (options == null) {
      return null;
    }
    String key = modelKey(name, model) + '\n' + new java.util.TreeMap<>(options);
    Future<Void> running = sharedLoads.get(key);
    if (running != null) {
      return running;
    }
    io.vertx.core.Promise<Void> load = io.vertx.core.Promise.promise();
    running = sharedLoads.putIfAbsent(key, load.future());
    if (running != null) {
      return running;
    }
    Future<Void> started;
    long loadStart = clock.nanoTime();
    try {
      started = provider.modelControl().orElseThrow().load(model, options);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(
        ar -> {
          sharedLoads.remove(key, load.future());
          if (ar.succeeded()) {
            serviceTimes.load(canonical(model)).observe(clock.nanoTime() - loadStart);
            shared.loaded(name, canonical(model));
          } else {
            shared.releaseLoad(claimKey(model, options), name);
          }
          load.handle(ar);
        });
    return load.future();
  }

  /**
   * The load-time options of the load a chat on that provider must wait for, or null when there is
   * none (see {@link #sharedLoad}).
   */
  private Map<String, Object> loadToShare(
      LlmProvider provider, String name, String model, LoadSettings settings) {
    // Only a started factory knows residency from its /api/ps poll; an unstarted one (the CLI, a
    // short-lived tool) is the only caller there is, and a load of its own would cost a request.
    if (!started || !currentResolver().config.routing().sharedLoads()) {
      return null;
    }
    if (provider.modelControl().isEmpty()) {
      return null;
    }
    core.llm.providers.base.Residency residency = provider.residency(model);
    if (residency == core.llm.providers.base.Residency.ABSENT
        || (residency == core.llm.providers.base.Residency.LOADED
            && !needsReload(provider, name, model, settings))) {
      return null; // loaded as asked, or not there at all (the request reports that itself)
    }
    if (residency != core.llm.providers.base.Residency.LOADED
        && shared.loadedElsewhere(name, canonical(model), REMOTE_LOAD_FRESH)
        && !runnerDiffers(name, model, settings)) {
      return null; // another member just loaded it there
    }
    return settings.loadOptions();
  }

  private String claimKey(String model, Map<String, Object> options) {
    return canonical(model) + '\n' + new java.util.TreeMap<>(options);
  }

  /**
   * The lease a chat should load its model on: {@code lease} itself, unless a cluster is shared and
   * another member already claimed this cold load for another candidate host; then a lease on that
   * host, {@code lease} given back. So a cold model hit through every member at once is loaded on
   * one host, not on one per member.
   */
  Future<Lease> claimedHost(Routing routing, Lease lease, LoadSettings settings) {
    if (!shared.shared()) {
      return Future.succeededFuture(lease);
    }
    String model = routing.model();
    Map<String, Object> options = loadToShare(lease.provider, lease.name, model, settings);
    if (options == null) {
      return Future.succeededFuture(lease);
    }
    return shared
        .claimLoad(claimKey(model, options), lease.name, LOAD_CLAIM_TTL)
        .map(
            holder -> {
              if (holder.equals(lease.name) || !routing.hasCandidate(holder)) {
                return lease;
              }
              Lease there = lease(holder, model);
              if (there == null) {
                return lease; // its breaker is open here, or it is busy: load where we chose
              }
              lease.release();
              lease.abandon();
              return there;
            });
  }

  /** Whether any request so far set load-time options (until then nothing is tracked). */
  boolean tracksLoadOptions() {
    return !loadedWith.isEmpty();
  }

  /** Remembers the load-time options of a request this factory is sending to {@code provider}. */
  void sending(String provider, String model, LoadSettings settings) {
    if (settings.hasRunnerOptions() || !loadedWith.isEmpty()) {
      loadedWith.put(modelKey(provider, model), settings);
    }
  }

  /**
   * Whether the options last sent for the model to that provider (the server's defaults when none
   * were) differ from the request's: Ollama reloads.
   */
  private boolean runnerDiffers(String provider, String model, LoadSettings settings) {
    if (loadedWith.isEmpty() && !settings.hasRunnerOptions()) {
      return false;
    }
    // a copy this factory did not load is taken to run with the server's defaults, as most do
    LoadSettings last = loadedWith.getOrDefault(modelKey(provider, model), LoadSettings.NONE);
    return settings.reloads(last);
  }

  /** Whether serving {@code settings} on this provider reloads its loaded copy. */
  boolean needsReload(LlmProvider provider, String name, String model, LoadSettings settings) {
    if (settings.numCtx() != null) {
      java.util.OptionalInt loaded = provider.loadedContextLength(model);
      if (loaded.isPresent() && loaded.getAsInt() != settings.numCtx()) {
        return true;
      }
    }
    return provider.residency(model) == core.llm.providers.base.Residency.LOADED
        && runnerDiffers(name, model, settings);
  }

  static int parallel(core.llm.providers.config.ProviderConfig config) {
    String value = config.option("parallel");
    if (value == null) {
      return 1;
    }
    try {
      return Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  RoutingClock clock() {
    return clock;
  }

  DoubleSupplier random() {
    return random;
  }

  /**
   * A hold on the provider for one attempt, or null when it must be skipped (breaker open, or a
   * reload removed it). Throws the creation failure when it cannot be built.
   */
  Lease lease(String name) {
    boolean[] admitted = new boolean[1];
    BreakerState changed = breaker(name).tryAcquire(clock.nanoTime(), cooldownNanos(), admitted);
    if (changed != null) {
      emit(RoutingEvent.Type.BREAKER_HALF_OPEN, name, null, null, 0, 0, Duration.ZERO);
    }
    if (!admitted[0]) {
      return null;
    }
    for (int i = 0; i < 8; i++) { // a retired slot means a reload just replaced it: look again
      Resolver r = resolver();
      if (r.enabled(name) == null) {
        breaker(name).onAbandon();
        return null;
      }
      Slot slot = slot(name, r);
      LlmProvider p;
      try {
        p = slot.instance();
      } catch (RuntimeException e) {
        breaker(name).onAbandon();
        throw e;
      }
      if (slot.tryAcquire()) {
        return new Lease(name, p, slot, this);
      }
    }
    breaker(name).onAbandon();
    return null;
  }

  /**
   * {@link #lease(String)} for a request of {@code model}: counted per provider and model until
   * released, so while the first request for a cold model is on its way, the next ones rank that
   * host as loading it (and join that load) before its own tracker could know.
   */
  Lease lease(String name, String model) {
    Lease lease = lease(name);
    if (lease == null) {
      return null;
    }
    AtomicInteger count =
        modelInflight
            .computeIfAbsent(name, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(canonical(model), k -> new AtomicInteger());
    int before = count.getAndIncrement();
    Slot s = slots.get(name);
    // a request that starts at once on a loaded copy measures what a place in its queue costs
    if (s == null
        || before >= s.parallel
        || lease.provider.residency(model) != core.llm.providers.base.Residency.LOADED) {
      return lease.onRelease(count::decrementAndGet);
    }
    ServiceTimes.Ewma duration = serviceTimes.request(name, canonical(model));
    long start = clock.nanoTime();
    return lease.onRelease(
        () -> {
          count.decrementAndGet();
          duration.observe(clock.nanoTime() - start);
        });
  }

  private String modelKey(String provider, String model) {
    return provider + '\n' + canonical(model);
  }

  /** The last model name made canonical: placement asks for the same one once per candidate. */
  private volatile String[] lastCanonical = {"", ""};

  private String canonical(String model) {
    String[] last = lastCanonical;
    if (last[0].equals(model)) {
      return last[1];
    }
    String c = core.llm.common.ModelNames.canonical(model);
    lastCanonical = new String[] {model, c};
    return c;
  }

  /** A hold for a direct call through a {@link ManagedProvider}: no breaker involved. */
  Lease directLease(Slot slot) {
    return slot.tryAcquire() ? new Lease(slot.config.name(), slot.instance(), slot, null) : null;
  }

  boolean available(String name) {
    return breaker(name).available(clock.nanoTime(), cooldownNanos());
  }

  BreakerState breakerState(String name) {
    return breaker(name).state();
  }

  @Override
  public void success(String provider) {
    Breaker b = breaker(provider);
    // read before the success resets it: only a success after failures is news to the others
    boolean hadFailures = shared.shared() && b.failures() > 0;
    BreakerState changed = b.onSuccess();
    if (changed != null) {
      emit(RoutingEvent.Type.BREAKER_CLOSED, provider, null, null, 0, 0, Duration.ZERO);
    }
    if (hadFailures || (changed != null && shared.shared())) {
      shared.recovered(provider);
    }
  }

  @Override
  public void failure(String provider, LlmException e) {
    if (!e.retryable()
        && e.kind() != ErrorKind.STREAM_ERROR
        && e.kind() != ErrorKind.INCOMPLETE_STREAM) {
      success(provider); // the server answered: it is up
      return;
    }
    // After close() a request still draining may fail: its bookkeeping must not throw (it runs in
    // the request's callbacks, where an exception would lose the caller's answer).
    int threshold = currentResolver().config.routing().breakerFailureThreshold();
    BreakerState changed =
        breaker(provider).onFailure(e.kind(), e.status(), clock.nanoTime(), clock.now(), threshold);
    if (changed != null) {
      emit(RoutingEvent.Type.BREAKER_OPEN, provider, null, e.kind(), e.status(), 0, Duration.ZERO);
    }
    shared.failure(provider, e.kind(), e.status());
  }

  /**
   * This factory as the other members of a cluster see it: its in-flight counts go out, their
   * failures count against the same breakers, so a provider that fails opens every member's breaker
   * within one failure threshold, wherever the failures were seen.
   */
  private final SharedRoutingState.Member sharedMember =
      new SharedRoutingState.Member() {
        @Override
        public Map<String, Map<String, Integer>> inFlight() {
          Map<String, Map<String, Integer>> all = new java.util.HashMap<>();
          modelInflight.forEach(
              (provider, byModel) -> {
                Map<String, Integer> counts = new java.util.HashMap<>();
                byModel.forEach((model, n) -> counts.put(model, n.get()));
                all.put(provider, counts);
              });
          return all;
        }

        @Override
        public void remoteFailure(String provider, ErrorKind kind, int status) {
          if (closed) {
            return;
          }
          int threshold = currentResolver().config.routing().breakerFailureThreshold();
          BreakerState changed =
              breaker(provider).onFailure(kind, status, clock.nanoTime(), clock.now(), threshold);
          if (changed != null) {
            emit(RoutingEvent.Type.BREAKER_OPEN, provider, null, kind, status, 0, Duration.ZERO);
          }
        }

        @Override
        public void remoteRecovered(String provider) {
          if (!closed && breaker(provider).onSuccess() != null) {
            emit(RoutingEvent.Type.BREAKER_CLOSED, provider, null, null, 0, 0, Duration.ZERO);
          }
        }
      };

  @Override
  public SharedRoutingState sharedState() {
    return shared;
  }

  @Override
  public void abandon(String provider) {
    breaker(provider).onAbandon();
  }

  void emit(
      RoutingEvent.Type type,
      String provider,
      String model,
      ErrorKind kind,
      int status,
      int attempt,
      Duration delay) {
    if (listeners.isEmpty()) {
      return;
    }
    RoutingEvent ev =
        new RoutingEvent(type, provider, model, kind, status, attempt, delay, clock.now());
    for (RoutingListener l : listeners) {
      try {
        l.onEvent(ev);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "routing listener failed: " + e.getClass().getName());
      }
    }
  }

  // ---- internals ----

  private Breaker breaker(String name) {
    Breaker b = breakers.get(name);
    return b != null ? b : breakers.computeIfAbsent(name, k -> new Breaker());
  }

  private long cooldownNanos() {
    return currentResolver().config.routing().breakerCooldown().toNanos();
  }

  /** The live slot for the provider's current configuration; replaces (and retires) a stale one. */
  private Slot slot(String name, Resolver r) {
    ProviderConfig pc = r.enabled(name);
    Slot s = slots.get(name);
    if (s != null && (s.config == pc || s.config.equals(pc))) {
      return s;
    }
    return slots.compute(
        name,
        (k, old) -> {
          if (old != null && old.config.equals(pc)) {
            return old;
          }
          if (old != null) {
            old.retire();
          }
          return new Slot(pc, this::create);
        });
  }

  private LlmProvider create(ProviderConfig pc) {
    ProviderCreator creator = creators.get(pc.type());
    List<String> available = resolver().enabledNames();
    if (creator == null) {
      throw new ProviderNotFoundException(
          pc.name(),
          available,
          "Provider '"
              + pc.name()
              + "' cannot be created: "
              + ConfigValidator.unknownTypeMessage(pc.type(), creators.keySet()),
          null);
    }
    try {
      LlmProvider p =
          creator.create(
              new ProviderContext(
                  vertx, pc, secrets.resolve(pc), var -> secrets.resolve(pc.withApiKeyEnv(var))));
      for (UnaryOperator<LlmProvider> d : decorators) {
        p = Objects.requireNonNull(d.apply(p), "decorator returned null");
      }
      return p;
    } catch (RuntimeException e) {
      // Only the exception's class: a creator's message might quote configuration values.
      throw new LlmException(
          ErrorKind.BAD_REQUEST,
          "Provider '"
              + pc.name()
              + "' (type "
              + pc.type()
              // a typed error of ours says what to do and holds no secret; anything else is named
              // only
              // (a creator's own message may quote a key)
              + ") could not be created: "
              + (e instanceof LlmException le ? le.getMessage() : e.getClass().getName()),
          ErrorContext.of(pc.name(), null),
          e);
    }
  }

  /**
   * Called by the config manager after it swapped the snapshot. New providers need nothing (they
   * are created on first use); changed and removed ones are retired (drained, then closed) unless a
   * request already replaced them with a slot for the new configuration.
   */
  private void onConfigChange(ConfigChange change) {
    LlmConfig next = change.newConfig();
    List<String> affected = new ArrayList<>(change.changed());
    affected.addAll(change.removed());
    // Providers switched off stay in 'changed': they must take no new traffic either.
    for (String name : affected) {
      ProviderConfig now = next.provider(name).filter(ProviderConfig::enabled).orElse(null);
      slots.computeIfPresent(
          name,
          (k, old) -> {
            if (now != null && old.config.equals(now)) {
              return old;
            }
            old.retire();
            return null;
          });
      breakers.remove(name); // a changed endpoint deserves a fresh breaker
    }
    if (started && !closed) {
      List<String> fresh = new ArrayList<>(change.added());
      fresh.addAll(change.changed());
      fresh.retainAll(
          next.providers().stream()
              .filter(ProviderConfig::enabled)
              .map(ProviderConfig::name)
              .toList());
      startAll(fresh);
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "llm factory applied " + change);
  }
}
