package core.llm.providers.ollama;

import core.llm.providers.ollama.models.KeepAlive;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link ModelLifecycle}. Every policy is off by default; the checks are on.
 *
 * <ul>
 *   <li>{@code loadTimeout} (10 min): the first-byte limit of a load. Ollama answers only once the
 *       model is in memory, and a client that gives up aborts the load on the server, so a limit
 *       shorter than a cold load means the model never loads.
 *   <li>{@code reconcileInterval} (off): how often {@link ModelLifecycle#start()} polls {@code
 *       /api/ps} and applies the policies.
 *   <li>{@code idleTimeout} (off): unload models not used for longer than this.
 *   <li>{@code idleTimeout} and {@code maxLoaded} act on the models this process loaded or used,
 *       unless {@code manageAllModels} is set: the server is shared, and a model another client
 *       loaded is not ours to unload.
 *   <li>{@code maxLoaded} (0 = off): keep at most this many models loaded; the least recently used
 *       ones are unloaded first. Pinned models are never unloaded by a policy.
 *   <li>{@code manageAllModels} (false): apply the policies to every model of the host.
 *   <li>{@code warm} (empty) and {@code warmKeepAlive} (server default): models loaded by {@link
 *       ModelLifecycle#start()}.
 *   <li>{@code capabilityChecks}, {@code versionChecks} (on): whether {@code check(...)} fails
 *       fast.
 *   <li>{@code eventAddress} ({@value ModelEvent#ADDRESS}; null = do not publish).
 *   <li>{@code unloadGrace} (5 s): Ollama unloads asynchronously, so {@code /api/ps} may still list
 *       a model just after its confirmed unload; within this grace that row is not taken as a load.
 *   <li>{@code clock} (system UTC): for last-use times and the idle policy; tests pass their own.
 * </ul>
 */
public class LifecycleOptions {
  public static final Duration DEFAULT_LOAD_TIMEOUT =
      OllamaClientOptions.DEFAULT_FIRST_BYTE_TIMEOUT;
  public static final Duration DEFAULT_UNLOAD_GRACE = Duration.ofSeconds(5);

  private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
  private Duration reconcileInterval;
  private Duration idleTimeout;
  private int maxLoaded;
  private boolean manageAllModels;
  private List<String> warm = List.of();
  private KeepAlive warmKeepAlive;
  private boolean capabilityChecks = true;
  private boolean versionChecks = true;
  private String eventAddress = ModelEvent.ADDRESS;
  private Duration unloadGrace = DEFAULT_UNLOAD_GRACE;
  private Clock clock = Clock.systemUTC();

  public LifecycleOptions() {}

  public LifecycleOptions(LifecycleOptions other) {
    loadTimeout = other.loadTimeout;
    reconcileInterval = other.reconcileInterval;
    idleTimeout = other.idleTimeout;
    maxLoaded = other.maxLoaded;
    manageAllModels = other.manageAllModels;
    warm = other.warm;
    warmKeepAlive = other.warmKeepAlive;
    capabilityChecks = other.capabilityChecks;
    versionChecks = other.versionChecks;
    eventAddress = other.eventAddress;
    unloadGrace = other.unloadGrace;
    clock = other.clock;
  }

  public Duration getLoadTimeout() {
    return loadTimeout;
  }

  /**
   * First-byte limit of load requests; null or zero means none. Keep it longer than a cold load.
   */
  public LifecycleOptions setLoadTimeout(Duration loadTimeout) {
    this.loadTimeout = loadTimeout;
    return this;
  }

  public Duration getReconcileInterval() {
    return reconcileInterval;
  }

  /** Period of the {@code /api/ps} poll started by {@code start()}; null disables it. */
  public LifecycleOptions setReconcileInterval(Duration reconcileInterval) {
    this.reconcileInterval = reconcileInterval;
    return this;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** Unload models idle for longer than this (checked on each reconcile); null disables it. */
  public LifecycleOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    return this;
  }

  public int getMaxLoaded() {
    return maxLoaded;
  }

  /**
   * At most this many models loaded (LRU eviction): of this process's models, or of the whole host
   * with {@link #setManageAllModels}; 0 disables it.
   */
  public LifecycleOptions setMaxLoaded(int maxLoaded) {
    if (maxLoaded < 0) {
      throw new IllegalArgumentException("maxLoaded must be >= 0");
    }
    this.maxLoaded = maxLoaded;
    return this;
  }

  public boolean isManageAllModels() {
    return manageAllModels;
  }

  /**
   * Whether the idle and LRU policies act on every model loaded on the host, other clients'
   * included (default false: only models this process loaded or used).
   */
  public LifecycleOptions setManageAllModels(boolean manageAllModels) {
    this.manageAllModels = manageAllModels;
    return this;
  }

  public List<String> getWarm() {
    return warm;
  }

  /** Models to load at {@code start()}. */
  public LifecycleOptions setWarm(List<String> warm) {
    this.warm = List.copyOf(Objects.requireNonNull(warm, "warm"));
    return this;
  }

  public KeepAlive getWarmKeepAlive() {
    return warmKeepAlive;
  }

  /**
   * keep_alive of the warm loads (for example {@link KeepAlive#FOREVER}); null = server default.
   */
  public LifecycleOptions setWarmKeepAlive(KeepAlive warmKeepAlive) {
    this.warmKeepAlive = warmKeepAlive;
    return this;
  }

  public boolean isCapabilityChecks() {
    return capabilityChecks;
  }

  /**
   * Whether {@code check(...)} compares requests with the model's {@code /api/show} capabilities.
   */
  public LifecycleOptions setCapabilityChecks(boolean capabilityChecks) {
    this.capabilityChecks = capabilityChecks;
    return this;
  }

  public boolean isVersionChecks() {
    return versionChecks;
  }

  /** Whether {@code check(...)} compares requests with the server's {@code /api/version}. */
  public LifecycleOptions setVersionChecks(boolean versionChecks) {
    this.versionChecks = versionChecks;
    return this;
  }

  public String getEventAddress() {
    return eventAddress;
  }

  /** Event-bus address of {@link ModelEvent}s; null publishes to listeners only. */
  public LifecycleOptions setEventAddress(String eventAddress) {
    this.eventAddress = eventAddress;
    return this;
  }

  public Duration getUnloadGrace() {
    return unloadGrace;
  }

  public LifecycleOptions setUnloadGrace(Duration unloadGrace) {
    this.unloadGrace = Objects.requireNonNull(unloadGrace, "unloadGrace");
    return this;
  }

  public Clock getClock() {
    return clock;
  }

  public LifecycleOptions setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }
}
