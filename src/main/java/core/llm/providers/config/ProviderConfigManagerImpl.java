package core.llm.providers.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /**
   * The one thread that reads and parses configuration files, shared by the managers of one Vert.x
   * instance. Vert.x's own pools start a new thread per task until they are full, so a poll every
   * 250 ms through the async file system and the worker pool would keep a thread of each pool per
   * poll (up to 20 of each by default) for work that is one small read a second apart.
   */
  static final String FILE_THREAD = "core-llm-config";

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

  /** The file thread's executor while reads are running or the file is watched; else null. */
  private WorkerExecutor fileWork;

  private int readsRunning;

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
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.file = file;
    this.loader = Objects.requireNonNull(loader, "loader");
    this.readFile = path -> fileWork().executeBlocking(() -> readAtMostLimit(Path.of(path)));
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
                      releaseFileWorkWhenIdle();
                      return Future.failedFuture(
                          new ConfigValidationException(r.result().report()));
                    }
                    config = r.result().config();
                    appliedHash = r.hash();
                    newestHandled = r.seq();
                    lastHandledContent = r.content();
                    schedule(config.reload());
                    releaseFileWorkWhenIdle();
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
    releaseFileWorkWhenIdle();
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
    return read(false)
        .map(
            r -> {
              synchronized (this) {
                ValidationReport report = handle(r, true);
                releaseFileWorkWhenIdle();
                return report;
              }
            });
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

  /** Whether this manager holds the file thread (tests: only while watching or reading). */
  synchronized boolean holdsFileThread() {
    return fileWork != null;
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
    synchronized (this) {
      readsRunning++;
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
              // the streams that share the loop.
              return fileWork()
                  .executeBlocking(
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
                    err instanceof FileTooLarge tooLarge
                        ? new Read(seq, UNREADABLE, ConfigLoader.tooLarge(tooLarge.size), null)
                        : new Read(
                            seq,
                            UNREADABLE,
                            new ConfigLoadResult(
                                null,
                                ValidationReport.of(List.of(ConfigLoader.unreadable(file, err)))),
                            null)))
        .andThen(
            done -> {
              synchronized (this) {
                readsRunning--; // released by the caller once it has handled (and maybe watches)
              }
            });
  }

  /**
   * Closes the file thread's executor when no read is running and no poll will need it: a file that
   * is not watched (or a stopped manager) keeps no thread. Caller holds the lock.
   */
  private void releaseFileWorkWhenIdle() {
    if (fileWork != null && readsRunning == 0 && timerId == -1) {
      // closing interrupts a running task (shutdownNow), hence only when none runs; the thread
      // ends with the last manager of this Vert.x that uses it
      fileWork.close();
      fileWork = null;
    }
  }

  /** The executor of {@link #FILE_THREAD}, made when a read needs it. */
  private synchronized WorkerExecutor fileWork() {
    if (fileWork == null) {
      fileWork = vertx.createSharedWorkerExecutor(FILE_THREAD, 1);
    }
    return fileWork;
  }

  /**
   * The file's bytes (blocking, on the file thread), refusing a file over the limit before reading
   * it: a wrong path to a large file costs a stat, not a megabyte-sized buffer.
   */
  private static Buffer readAtMostLimit(Path path) throws IOException {
    long size = Files.size(path);
    if (size > ConfigLoader.MAX_FILE_BYTES) {
      throw new FileTooLarge(size);
    }
    try (InputStream in = Files.newInputStream(path)) {
      // one byte more than the limit: a file that grew since the stat is still caught as too large
      return Buffer.buffer(in.readNBytes(ConfigLoader.MAX_FILE_BYTES + 1));
    }
  }

  private static final class FileTooLarge extends IOException {
    final long size;

    FileTooLarge(long size) {
      super("configuration file of " + size + " bytes");
      this.size = size;
    }
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
                  releaseFileWorkWhenIdle();
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
      releaseFileWorkWhenIdle();
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
