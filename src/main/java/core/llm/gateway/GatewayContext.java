package core.llm.gateway;

import core.llm.common.Usage;
import core.llm.factory.LlmProviderFactory;
import core.llm.observability.MonitoringReport;
import core.llm.observability.Observability;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.GatewayConfig;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every part of a running gateway shares: the factory and configuration it serves, who may
 * call it, and the upstream requests running (which shutdown cancels once its grace is over).
 */
final class GatewayContext {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  final Vertx vertx;
  final LlmProviderFactory factory;
  final ProviderConfigManager configs;
  final Admission admission;

  /**
   * Metrics, usage and cost, health and loaded models (the factory's, when it was built with it).
   */
  final Observability obs;

  /** The monitoring document over the factory, the configuration and {@link #obs}. */
  final MonitoringReport monitoring;

  /** Loaded models, in flight and capacity per host, refreshed at most every few seconds. */
  final HostsView hosts;

  private final BodyHandler bodies;
  private final Set<ResponseStream<?, ?>> running = ConcurrentHashMap.newKeySet();
  private final List<ExchangeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean draining;

  GatewayContext(
      Vertx vertx,
      LlmProviderFactory factory,
      ProviderConfigManager configs,
      Admission admission,
      long maxRequestBytes,
      Observability obs) {
    this.vertx = vertx;
    this.factory = factory;
    this.configs = configs;
    this.admission = admission;
    this.obs = obs;
    this.monitoring = new MonitoringReport(factory, configs, obs);
    this.hosts = new HostsView(this);
    // no uploads to disk: every body the gateway takes is JSON for an API call
    this.bodies = BodyHandler.create(false).setBodyLimit(maxRequestBytes);
  }

  /** The {@code gateway:} section in force now (a reload changes it while serving). */
  GatewayConfig config() {
    return configs.snapshot().gateway();
  }

  /** Mapping, placement and failover over every provider: what the front ends call. */
  LlmProvider router() {
    return factory.router();
  }

  /**
   * Reads a request body up to the configured limit (413 beyond it). Mounted per route, not for the
   * whole router: blob uploads stream through.
   */
  BodyHandler body() {
    return bodies;
  }

  /**
   * Notes who answered a request and what it used, and counts that against its caller's token limit
   * and budget: every front end calls this once its answer is complete.
   */
  void charge(RoutingContext rc, String provider, Usage usage) {
    RequestNotes notes = RequestNotes.of(rc);
    notes.provider = provider;
    notes.usage = usage;
    if (notes.caller != null) {
      admission.charge(notes.caller, notes.model, provider, usage == null ? Usage.UNKNOWN : usage);
    }
  }

  /** Adds a listener told about every request that ends from now on. */
  void addListener(ExchangeListener listener) {
    listeners.add(listener);
  }

  /** Tells every listener; one that throws is logged and does not stop the others. */
  void requestEnded(RequestNotes notes, int status) {
    for (ExchangeListener l : listeners) {
      try {
        l.requestEnded(notes, status);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a request listener failed", e);
      }
    }
  }

  void track(ResponseStream<?, ?> upstream) {
    running.add(upstream);
  }

  void untrack(ResponseStream<?, ?> upstream) {
    running.remove(upstream);
  }

  /** Upstream requests running now. */
  int running() {
    return running.size();
  }

  /** Cancels every running upstream request (the end of a shutdown's grace). */
  void cancelRunning() {
    for (ResponseStream<?, ?> s : List.copyOf(running)) {
      s.cancel();
    }
  }

  /** Whether shutdown has begun: not ready any more, nothing new accepted. */
  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
