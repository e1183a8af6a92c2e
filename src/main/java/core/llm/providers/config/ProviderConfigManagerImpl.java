package core.llm.providers.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/** Polling implementation of {@link ProviderConfigManager}; see the interface for the contract. */
final class ProviderConfigManagerImpl implements ProviderConfigManager {
  private static final System.Logger LOG = System.getLogger(ProviderConfigManager.class.getName());
  private static final String UNREADABLE = "!unreadable";

  private record Registration(Object original, ConfigReloadListener listener) {}

  /**
   * What one read of the file gave; {@code seq} orders reads by when they started, {@code content}
   * is the file's bytes (null when there is no file or it could not be read).
   */
  private record Read(long seq, String hash, ConfigLoadResult result, Buffer content) {}

  private final Vertx vertx;
  private final Path file;
  private final ConfigLoader loader;
  private final Function<String, Future<Buffer>> readFile;
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong polls = new AtomicLong();

  private volatile LlmConfig config;
  private volatile ValidationReport lastReport = ValidationReport.OK;

  // Guarded by this.
  private Future<Void> startFuture;
  private boolean stopped = true;
  private long timerId = -1;
  private Duration timerInterval;
  private boolean checking;
  private String appliedHash;
  private String rejectedHash;
  private long readsStarted;

  /**
   * The bytes of the newest read handled: a poll that reads the same bytes again stops there,
   * without parsing (a poll every 250 ms would otherwise parse the file four times a second, on a
   * worker thread each time).
   */
  private Buffer lastHandledContent;

  /**
   * The newest read handled: an older read finishing later (a slow poll overtaken by reload()) is
   * stale.
   */
  private long newestHandled;

  ProviderConfigManagerImpl(Vertx vertx, Path file, ConfigLoader loader) {
    this(vertx, file, loader, path -> vertx.fileSystem().readFile(path));
  }

  /** With its own file reader: tests hold a read back to overtake it. */
  ProviderConfigManagerImpl(
      Vertx vertx, Path file, ConfigLoader loader, Function<String, Future<Buffer>> readFile) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.file = file;
    this.loader = Objects.requireNonNull(loader, "loader");
    this.readFile = Objects.requireNonNull(readFile, "readFile");
  }

  @Override
  public synchronized Future<Void> start() {
    if (startFuture != null) {
      return startFuture;
    }
    stopped = false;
    Future<Void> f =
        read(false)
            .compose(
                r -> {
                  synchronized (this) {
                    lastReport = r.result().report();
                    if (!r.result().isValid()) {
                      startFuture = null;
                      stopped = true;
                      return Future.failedFuture(
                          new ConfigValidationException(r.result().report()));
                    }
                    config = r.result().config();
                    appliedHash = r.hash();
                    newestHandled = r.seq();
                    lastHandledContent = r.content();
                    schedule(config.reload());
                    return Future.succeededFuture();
                  }
                });
    startFuture = f;
    return f;
  }

  @Override
  public synchronized Future<Void> stop() {
    stopped = true;
    startFuture = null;
    cancelTimer();
    return Future.succeededFuture();
  }

  @Override
  public LlmConfig snapshot() {
    LlmConfig c = config;
    if (c == null) {
      throw new IllegalStateException("ProviderConfigManager not started");
    }
    return c;
  }

  @Override
  public Future<LlmConfig> current() {
    LlmConfig c = config;
    return c == null
        ? Future.failedFuture(new IllegalStateException("ProviderConfigManager not started"))
        : Future.succeededFuture(c);
  }

  @Override
  public Future<ProviderConfig> provider(String name) {
    return current()
        .compose(
            c ->
                c.provider(name)
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new UnknownProviderException(name, c.providerNames()))));
  }

  @Override
  public Future<ValidationReport> reload() {
    if (config == null) {
      return Future.failedFuture(new IllegalStateException("ProviderConfigManager not started"));
    }
    return read(false).map(r -> handle(r, true));
  }

  @Override
  public ValidationReport lastReport() {
    return lastReport;
  }

  @Override
  public ProviderConfigManager addListener(Consumer<ConfigChange> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(new Registration(listener, listener::accept));
    return this;
  }

  @Override
  public ProviderConfigManager addReloadListener(ConfigReloadListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(new Registration(listener, listener));
    return this;
  }

  @Override
  public boolean removeListener(Object listener) {
    return listeners.removeIf(r -> r.original() == listener);
  }

  @Override
  public synchronized boolean watching() {
    return timerId != -1;
  }

  /** Number of polls started so far (tests use it to prove the timer is gone). */
  long polls() {
    return polls.get();
  }

  // ---- internals ----

  /**
   * Reads and parses the file; with {@code skipUnchanged} (a poll) it gives null, without parsing,
   * when the bytes are those of the newest read handled.
   */
  private Future<Read> read(boolean skipUnchanged) {
    long seq;
    synchronized (this) {
      seq = ++readsStarted;
    }
    if (file == null) {
      return Future.succeededFuture(new Read(seq, "embedded", loader.embedded(), null));
    }
    return readFile
        .apply(file.toString())
        .compose(
            buf -> {
              if (buf.length()
                  > ConfigLoader.MAX_FILE_BYTES) { // checked before anything is decoded
                return Future.succeededFuture(
                    new Read(seq, UNREADABLE, ConfigLoader.tooLarge(buf.length()), null));
              }
              if (skipUnchanged && sameAsLastHandled(buf)) {
                return Future.succeededFuture(null);
              }
              // Parsing and validating is CPU work: off the event loop, so a reload never stalls
              // the
              // streams that share the loop.
              return vertx.executeBlocking(
                  () -> {
                    byte[] bytes = buf.getBytes();
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    return new Read(
                        seq,
                        sha256(bytes),
                        loader.parse(
                            text, ConfigFormat.fromFileName(file.getFileName().toString())),
                        buf);
                  });
            })
        .recover(
            err ->
                Future.succeededFuture(
                    new Read(
                        seq,
                        UNREADABLE,
                        new ConfigLoadResult(
                            null, ValidationReport.of(List.of(ConfigLoader.unreadable(file, err)))),
                        null)));
  }

  private synchronized boolean sameAsLastHandled(Buffer content) {
    return lastHandledContent != null
        && lastHandledContent.length() == content.length()
        && lastHandledContent.equals(content);
  }

  /**
   * One poll of the file (the timer's job; package-private so tests can run one and wait for it):
   * completes when the poll has been handled, or at once when one is already running.
   */
  Future<Void> poll() {
    synchronized (this) {
      if (checking || stopped) {
        return Future.succeededFuture();
      }
      checking = true;
      polls.incrementAndGet();
    }
    return read(true)
        .andThen(
            ar -> {
              try {
                if (ar.succeeded() && ar.result() != null) {
                  handle(ar.result(), false);
                }
              } finally {
                synchronized (this) {
                  checking = false;
                }
              }
            })
        .mapEmpty();
  }

  /** Applies or rejects what was read; the lock keeps swaps and notifications in order. */
  private synchronized ValidationReport handle(Read r, boolean forced) {
    ValidationReport report = r.result().report();
    if (r.seq() < newestHandled) {
      return lastReport; // read before a newer read that is already applied: applying it would go
      // back
    }
    newestHandled = r.seq();
    lastHandledContent = r.content();
    if (!forced) {
      if (stopped) {
        return report; // a poll that completed after stop()
      }
      if (r.hash().equals(appliedHash)) {
        rejectedHash = null; // back to the applied content (e.g. an edit was undone)
        return lastReport;
      }
    }
    lastReport = report;
    if (!r.result().isValid()) {
      if (forced || !r.hash().equals(rejectedHash)) {
        rejectedHash = r.hash();
        for (Registration reg : listeners) {
          try {
            reg.listener().onReloadFailed(report);
          } catch (RuntimeException e) {
            LOG.log(
                System.Logger.Level.WARNING,
                "config reload listener failed: " + e.getClass().getName());
          }
        }
      }
      return report;
    }
    rejectedHash = null;
    appliedHash = r.hash();
    LlmConfig old = config;
    LlmConfig next = r.result().config();
    if (old.equals(next)) {
      return report;
    }
    config = next;
    ConfigChange change = ConfigChange.between(old, next);
    if (!stopped) {
      schedule(next.reload());
    }
    for (Registration reg : listeners) {
      try {
        reg.listener().onReload(change);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "config reload listener failed: " + e.getClass().getName());
      }
    }
    return report;
  }

  /** Starts, re-times or cancels the poll timer to match the settings. Caller holds the lock. */
  private void schedule(ReloadConfig reload) {
    if (file == null || stopped || !reload.watch()) {
      cancelTimer();
      return;
    }
    if (timerId != -1 && reload.pollInterval().equals(timerInterval)) {
      return;
    }
    cancelTimer();
    timerInterval = reload.pollInterval();
    timerId =
        vertx.setPeriodic(
            Math.max(1, core.llm.common.TimerDelays.millis(timerInterval)), id -> poll());
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
      timerInterval = null;
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
