package core.llm.providers.ollama;

import core.llm.common.ModelNames;
import core.llm.providers.ollama.models.ProcessModel;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The state of every model seen on one Ollama host ({@link #host()}): {@link ModelState}, last use,
 * and the {@code /api/ps} row (expiry, size, VRAM). One tracker per host; several lifecycles for
 * several hosts give a state per host and model, and every event names its host.
 *
 * <p>Every change is one {@link ModelEvent}, delivered to listeners synchronously and published on
 * the event bus, in the order the changes happened (they are made and delivered under one lock, so
 * listeners must be quick and must not block). Thread-safe.
 */
public final class ModelTracker {

  /**
   * A snapshot of one model.
   *
   * @param model normalised name
   * @param state current state
   * @param lastUsed last {@link #touch use} or load by this process, else when first seen loaded;
   *     null if never
   * @param changedAt when the state last changed
   * @param pinned loaded with keep-alive forever by this process; policies never unload it
   * @param process the model's {@code /api/ps} row at the last reconcile, null when not listed
   * @param ours loaded or used by this process (a load, pin or {@link #touch}); a model only seen
   *     in {@code /api/ps} belongs to other clients, and policies leave it alone unless told to
   *     manage the whole host
   */
  public record TrackedModel(
      String model,
      ModelState state,
      Instant lastUsed,
      Instant changedAt,
      boolean pinned,
      ProcessModel process,
      boolean ours) {

    /** When the server will unload it ({@code /api/ps} expires_at), if listed. */
    public Optional<OffsetDateTime> expiresAt() {
      return process == null ? Optional.empty() : Optional.ofNullable(process.expiresAtTime());
    }
  }

  private static final class Entry {
    final String model;
    ModelState state = ModelState.UNKNOWN;
    Instant lastUsed;
    Instant changedAt;
    boolean pinned;
    ProcessModel process;
    boolean ours;

    /** Requests of this process using it now (started, not yet answered or failed). */
    int inFlight;

    /**
     * LOADED, but a cold load of another model on this host has most likely evicted it: Ollama
     * makes room by unloading an idle model, and this was the idle one used least recently when the
     * host already held as many models as it ever has. Until {@code /api/ps} or an answer says
     * otherwise, the router ranks it as installed (a request for it would load it again), so
     * requests for it go where it is surely loaded instead of piling onto a host that is busy
     * loading.
     */
    boolean displaced;

    Entry(String model) {
      this.model = model;
    }

    TrackedModel snapshot() {
      return new TrackedModel(model, state, lastUsed, changedAt, pinned, process, ours);
    }
  }

  private final String host;
  private final Clock clock;
  private final EventBus bus;
  private final String address;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * The most models {@code /api/ps} has listed at once: how many this host holds (Ollama's limit is
   * its memory, which no endpoint reports). 0 until a poll listed any.
   */
  private int mostResident;

  /** Canonical names {@code /api/tags} listed at its last answer; null until it has answered. */
  private Set<String> installed;

  private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param host the server's base URL, carried by every event
   * @param clock time source of last-use and event times
   * @param bus where events are published, or null
   * @param address event-bus address, or null to publish to listeners only
   */
  public ModelTracker(String host, Clock clock, EventBus bus, String address) {
    this.host = host;
    this.clock = clock;
    this.bus = bus;
    this.address = address;
  }

  public String host() {
    return host;
  }

  /** Called for every change, in order, on the thread that made the change. */
  public void addListener(Consumer<ModelEvent> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<ModelEvent> listener) {
    listeners.remove(listener);
  }

  /** The state of a model (any spelling of its name); UNKNOWN if never seen. */
  public synchronized ModelState state(String model) {
    Entry e = entries.get(ModelNames.canonical(model));
    return e == null ? ModelState.UNKNOWN : e.state;
  }

  /**
   * Whether the model, though LOADED, was most likely evicted to make room for a cold load of
   * another model here since {@code /api/ps} last listed it (see {@link #requestStarted}).
   */
  public synchronized boolean likelyEvicted(String model) {
    Entry e = entries.get(ModelNames.canonical(model));
    return e != null && e.state == ModelState.LOADED && e.displaced;
  }

  /**
   * Whether the host has the model on disk, as its last {@code /api/tags} said: empty until a list
   * was seen (see {@link #installed(List)}).
   */
  public synchronized Optional<Boolean> installed(String model) {
    return installed == null
        ? Optional.empty()
        : Optional.of(installed.contains(ModelNames.canonical(model)));
  }

  /**
   * Records the host's installed models ({@code /api/tags}): what the router tells a host that
   * would load a model cold from one that does not have it, and which a never-loaded model on a
   * host has. Names as the server lists them (any spelling).
   */
  public synchronized void installed(List<String> names) {
    Set<String> set = new HashSet<>();
    for (String n : names) {
      if (n != null) {
        set.add(ModelNames.canonical(n));
      }
    }
    installed = set;
  }

  public synchronized Optional<TrackedModel> get(String model) {
    return Optional.ofNullable(entries.get(ModelNames.canonical(model))).map(Entry::snapshot);
  }

  /** Every model seen, in the order first seen. */
  public synchronized List<TrackedModel> snapshot() {
    List<TrackedModel> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(e.snapshot()));
    return out;
  }

  /**
   * Records a use of the model now. The provider adapter calls it for each request, so the idle and
   * LRU policies see real traffic and not only lifecycle calls. Does not change the state.
   */
  public synchronized void touch(String model) {
    Entry e = entry(model);
    e.lastUsed = clock.instant();
    e.ours = true;
  }

  /**
   * A request of this process is about to use the model. Unless it is known to be loaded, serving
   * it loads it: LOADING, so the router sends the next requests here to join that load rather than
   * start a second one on another host. A cold load on a host that holds as many models as it ever
   * has will evict one: the idle one this process used least recently is then taken as evicted
   * ({@link #likelyEvicted}).
   */
  public synchronized void requestStarted(String model) {
    Entry e = entry(model);
    e.inFlight++;
    if (e.state == ModelState.LOADED && e.displaced) {
      transition(model, ModelState.LOADING, "a request of this process is loading it again");
    } else if (e.state != ModelState.LOADED && e.state != ModelState.LOADING) {
      transition(model, ModelState.LOADING, "a request of this process is loading it");
    }
  }

  /** The model answered a request of this process: it is in memory. */
  public synchronized void requestServed(String model) {
    Entry e = entry(model);
    e.inFlight = Math.max(0, e.inFlight - 1);
    e.displaced = false;
    transition(model, ModelState.LOADED, "served a request");
  }

  /** A request failed before the model answered: a load it started did not happen. */
  public synchronized void requestFailed(String model) {
    Entry e = entry(model);
    e.inFlight = Math.max(0, e.inFlight - 1);
    if (e.state == ModelState.LOADING) {
      transition(model, ModelState.FAILED, "a request that would have loaded it failed");
    }
  }

  synchronized void pinned(String model, boolean pinned) {
    entry(model).pinned = pinned;
  }

  /**
   * Moves the model to {@code to} and publishes the change; nothing happens if it is already there.
   */
  synchronized void transition(String model, ModelState to, String reason) {
    Entry e = entry(model);
    if (e.state == to) {
      return;
    }
    ModelState from = e.state;
    Instant now = clock.instant();
    e.state = to;
    e.changedAt = now;
    if (to == ModelState.LOADING) {
      e.ours = true; // only a load of ours goes through LOADING; /api/ps rows go straight to LOADED
      if (from != ModelState.LOADED || e.displaced) {
        e.displaced = false;
        displaceForLoadOf(e);
      }
    }
    if (to == ModelState.LOADED) {
      e.lastUsed = now;
    }
    publish(new ModelEvent(host, e.model, from, to, now, reason));
  }

  /**
   * A cold load of {@code loading} begins. When the host already holds as many models as it ever
   * has, Ollama unloads an idle one to make room: the idle, unpinned model this process used least
   * recently is taken as gone. A guess, never an event: the next {@code /api/ps} that lists it, or
   * an answer from it, puts it back.
   */
  private void displaceForLoadOf(Entry loading) {
    if (mostResident == 0) {
      return;
    }
    int resident = 0;
    Entry victim = null;
    for (Entry x : entries.values()) {
      if (x == loading) {
        continue;
      }
      boolean loaded = x.state == ModelState.LOADED && !x.displaced;
      if (loaded || x.state == ModelState.LOADING) {
        resident++;
      }
      if (loaded && x.inFlight == 0 && !x.pinned && usedBefore(x, victim)) {
        victim = x;
      }
    }
    if (victim != null && resident >= mostResident) {
      victim.displaced = true;
    }
  }

  private static boolean usedBefore(Entry x, Entry than) {
    if (than == null) {
      return true;
    }
    if (x.lastUsed == null || than.lastUsed == null) {
      return x.lastUsed == null && than.lastUsed != null;
    }
    return x.lastUsed.isBefore(than.lastUsed);
  }

  /**
   * Aligns the states with {@code /api/ps}. Models with a request of ours in flight (LOADING,
   * UNLOADING) are left alone: the request's own answer decides. A listed model becomes LOADED
   * (somebody loaded it) unless we confirmed its unload less than {@code unloadGrace} ago, since
   * Ollama unloads asynchronously. A LOADED model that is no longer listed has expired or been
   * evicted: UNLOADED. FAILED stays FAILED until the model shows up or is loaded again.
   */
  synchronized void reconcile(List<ProcessModel> running, Duration unloadGrace) {
    Instant now = clock.instant();
    mostResident = Math.max(mostResident, running.size());
    Set<String> listed = new HashSet<>();
    for (ProcessModel p : running) {
      String name = p.model() != null ? p.model() : p.name();
      Entry e = entry(name);
      listed.add(ModelNames.canonical(name));
      e.process = p;
      e.displaced = false; // still there
      if (e.state == ModelState.LOADING
          || e.state == ModelState.UNLOADING
          || e.state == ModelState.LOADED) {
        continue;
      }
      if (e.state == ModelState.UNLOADED
          && e.changedAt != null
          && Duration.between(e.changedAt, now).compareTo(unloadGrace) < 0) {
        continue;
      }
      Instant lastUsed = e.lastUsed;
      transition(name, ModelState.LOADED, "listed by /api/ps");
      // first seen already loaded: count "now" as its last use, but keep a real earlier use
      e.lastUsed = lastUsed != null ? lastUsed : now;
    }
    for (Map.Entry<String, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (listed.contains(me.getKey())) {
        continue;
      }
      e.process = null;
      e.displaced = false;
      if (e.state == ModelState.LOADED) {
        e.pinned = false;
        transition(e.model, ModelState.UNLOADED, "absent from /api/ps (expired or evicted)");
      }
    }
  }

  private Entry entry(String model) {
    Entry known = entries.get(ModelNames.canonical(model));
    if (known != null) {
      return known; // every request asks: no capturing lambda for a model seen before
    }
    return entries.computeIfAbsent(
        ModelNames.canonical(model), k -> new Entry(ModelNames.normalize(model)));
  }

  private void publish(ModelEvent event) {
    for (Consumer<ModelEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException ignored) {
        // one broken listener must not hide the event from the others, nor fail the lifecycle call
      }
    }
    if (bus != null && address != null) {
      bus.publish(address, event.toJson());
    }
  }
}
