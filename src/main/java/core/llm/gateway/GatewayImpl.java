package core.llm.gateway;

import core.llm.factory.LlmProviderFactory;
import core.llm.observability.HealthProbe;
import core.llm.observability.ModelPrice;
import core.llm.observability.Observability;
import core.llm.observability.PriceTable;
import core.llm.providers.config.ConfigChange;
import core.llm.providers.config.GatewayConfig;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

final class GatewayImpl implements Gateway {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  /** How often every provider is probed, for readiness, the monitoring document and the UI. */
  private static final Duration HEALTH_PERIOD = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final ProviderConfigManager configs;
  private final GatewayOptions options;
  private final GatewayContext ctx;
  private final HealthProbe probe;
  private final ActivityMeter activity;

  /** The servers listening, one per event loop, all on one port; empty before {@link #listen}. */
  private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private String host;

  /** The deployment whose instances run the servers; null before {@link #listen} succeeded. */
  private volatile String deployment;

  private Future<Void> stopping;

  GatewayImpl(
      Vertx vertx,
      LlmProviderFactory factory,
      ProviderConfigManager configs,
      GatewayOptions options,
      Observability observability) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(observability, "observability");
    this.configs = Objects.requireNonNull(configs, "configs");
    this.options = options == null ? new GatewayOptions() : options;
    GatewayConfig config = configs.snapshot().gateway();
    this.ctx =
        new GatewayContext(
            vertx,
            factory,
            configs,
            new KeyAdmission(configs, observability::prices, counters(vertx, configs)),
            config.maxRequestBytes(),
            observability);
    this.ctx.addListener(new RequestLogLine());
    // 499 (nginx's "client closed request") for a client that left: its 200 head was no answer
    this.ctx.addListener(
        (notes, status) ->
            observability
                .metrics()
                .gatewayRequest(
                    notes.api,
                    notes.clientGone ? 499 : status,
                    notes.stream,
                    System.nanoTime() - notes.startNanos));
    this.activity = new ActivityMeter(vertx, observability::prices, System::currentTimeMillis);
    this.ctx.addListener(activity);
    this.probe = observability.healthProbe(vertx, factory, HEALTH_PERIOD);
    applyPrices();
    configs.addListener(pricesOnReload);
  }

  /**
   * The key counters: the cluster's when this gateway is a member of one ({@code gateway.cluster}
   * on a clustered Vertx), so the members share each key's limits and budget; else this process's.
   */
  private static KeyCounters counters(Vertx vertx, ProviderConfigManager configs) {
    LocalKeyCounters local = new LocalKeyCounters(System::nanoTime);
    if (configs.snapshot().gateway().cluster().enabled() && vertx.isClustered()) {
      return new ClusterKeyCounters(
          vertx,
          System::currentTimeMillis,
          local,
          () ->
              configs.snapshot().gateway().keys().stream()
                  .map(GatewayConfig.Key::name)
                  .filter(java.util.Objects::nonNull)
                  .toList());
    }
    return local;
  }

  private final Consumer<ConfigChange> pricesOnReload = change -> applyPrices();
  private boolean pricesFromConfig;

  /**
   * The {@code gateway.prices} in force become the price table of the Observability (cost metrics,
   * the dashboard, key budgets); with none, a table given in code stays.
   */
  private synchronized void applyPrices() {
    List<GatewayConfig.Price> prices = ctx.config().prices();
    if (prices.isEmpty()) {
      if (pricesFromConfig) {
        ctx.obs.prices(PriceTable.EMPTY);
        pricesFromConfig = false;
      }
      return;
    }
    ctx.obs.prices(
        PriceTable.of(
            "USD",
            prices.stream()
                .map(
                    p ->
                        new ModelPrice(
                            p.provider(), p.model(), p.inputPerMillion(), p.outputPerMillion()))
                .toArray(ModelPrice[]::new)));
    pricesFromConfig = true;
  }

  @Override
  public synchronized Future<Gateway> listen() {
    if (host != null) {
      return Future.failedFuture(new IllegalStateException("the gateway is already listening"));
    }
    GatewayConfig config = ctx.config();
    String bindHost = options.getHost() != null ? options.getHost() : config.host();
    int bindPort = options.getPort() != null ? options.getPort() : config.port();
    boolean allowRemote =
        options.getAllowRemoteWithoutKeys() != null
            ? options.getAllowRemoteWithoutKeys()
            : config.allowRemoteWithoutKeys();
    if (config.keys().isEmpty() && !isLoopback(bindHost)) {
      if (!allowRemote) {
        return Future.failedFuture(
            new IllegalStateException(
                "no gateway keys are configured, so the gateway binds to loopback only; add keys"
                    + " under gateway.keys, or pass --allow-remote-without-keys to serve "
                    + bindHost
                    + " to anyone who can reach it"));
      }
      LOG.warning(
          "serving "
              + bindHost
              + " with no gateway keys: anyone who can reach this address can use every provider");
    }
    probe.start();
    Future<Void> firstProbe = probe.probeNow();
    Router router = Router.router(vertx);
    // first: every request gets its notes, and the listeners hear how it ended
    router
        .route()
        .handler(
            rc -> {
              RequestNotes notes = RequestNotes.of(rc);
              notes.method = rc.request().method().name();
              notes.path = rc.request().path();
              // told on the next turn of the loop: the front ends note usage and provider as the
              // result completes, which is after the response's last write has ended it
              rc.addEndHandler(
                  ar -> {
                    int status = rc.response().getStatusCode();
                    notes.clientGone |= ar.failed();
                    vertx.runOnContext(v -> ctx.requestEnded(notes, status));
                  });
              rc.next();
            });
    for (Api api : apis(firstProbe)) {
      api.mount(router);
    }
    router.route().last().handler(rc -> rc.response().setStatusCode(404).end("404 page not found"));
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(bindHost);
    int loops = options.eventLoopsOrDefault();
    host = bindHost;
    // One server per event loop (a deployment gives each instance a loop of its own), all on one
    // port: Vert.x binds it once and hands the connections round. Port 0 would give each server a
    // port of its own, so a free port is asked for with a negative number instead, which Vert.x
    // binds once for every server that listens with that same number (unique per gateway, so two
    // gateways in one Vertx never share). A router is safe to share between loops once mounted.
    int listenPort = bindPort == 0 && loops > 1 ? -FREE_PORT_KEYS.incrementAndGet() : bindPort;
    return vertx
        .deployVerticle(
            () ->
                new io.vertx.core.VerticleBase() {
                  @Override
                  public Future<?> start() {
                    HttpServer s = vertx.createHttpServer(serverOptions);
                    s.requestHandler(router);
                    servers.add(s);
                    return s.listen(listenPort, bindHost);
                  }
                },
            new io.vertx.core.DeploymentOptions().setInstances(loops))
        .onSuccess(id -> deployment = id)
        .onFailure(e -> servers.clear()) // Vert.x undid the instances that had started
        .map(ignored -> (Gateway) this);
  }

  /** Negative ports for {@link #listen} on a free port, one per gateway of this process. */
  private static final java.util.concurrent.atomic.AtomicInteger FREE_PORT_KEYS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The APIs the gateway speaks, in mount order. */
  private List<Api> apis(Future<Void> firstProbe) {
    return List.of(
        new OpsApi(ctx, probe, firstProbe),
        new DashboardApi(ctx, activity),
        new OllamaApi(ctx),
        new OpenAiApi(ctx),
        new AnthropicApi(ctx));
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Begins a shutdown's draining without stopping the server (tests: readiness turns). */
  void startDrainingForTest() {
    ctx.startDraining();
  }

  /** Who may call (tests: what a key has spent). */
  Admission admissionForTest() {
    return ctx.admission;
  }

  /** Tells {@code listener} of every request that ends (tests: on which event loop). */
  void addListenerForTest(ExchangeListener listener) {
    ctx.addListener(listener);
  }

  /** Upstream requests running now (tests: none is left behind). */
  int runningForTest() {
    return ctx.running();
  }

  @Override
  public int port() {
    return servers.isEmpty() ? -1 : servers.get(0).actualPort();
  }

  @Override
  public String baseUrl() {
    if (servers.isEmpty()) {
      return null;
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return "http://" + h + ":" + port();
  }

  @Override
  public synchronized Future<Void> shutdown(Duration grace) {
    if (stopping != null) {
      return stopping;
    }
    ctx.startDraining();
    probe.stop();
    ctx.admission.close();
    configs.removeListener(pricesOnReload);
    if (servers.isEmpty()) {
      stopping = Future.succeededFuture();
      return stopping;
    }
    long millis = Math.max(0, grace.toMillis());
    Promise<Void> done = Promise.promise();
    // Past the grace, what still runs is cancelled: the connections close, the back ends stop.
    long timer = millis == 0 ? -1 : vertx.setTimer(millis, t -> ctx.cancelRunning());
    if (millis == 0) {
      ctx.cancelRunning();
    }
    List<Future<Void>> closing = new java.util.ArrayList<>();
    for (HttpServer s : servers) {
      closing.add(s.shutdown(millis, TimeUnit.MILLISECONDS));
    }
    Future.join(closing)
        .<Void>mapEmpty()
        .onComplete(
            ar -> {
              if (timer >= 0) {
                vertx.cancelTimer(timer);
              }
              ctx.cancelRunning();
              String d = deployment;
              if (d == null) {
                done.handle(ar);
              } else {
                // the servers are shut already; this only forgets their instances
                vertx.undeploy(d).onComplete(ignored -> done.handle(ar));
              }
            });
    stopping = done.future();
    return stopping;
  }
}
