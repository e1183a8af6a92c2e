package core.llm.providers.ollama;

import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.ListModel;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.ProcessModel;
import core.llm.providers.ollama.models.ProgressResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * Model lifecycle on one Ollama host: load, unload, pin, residency, pull-if-missing, capability and
 * version checks, and a tracked state per model with events and optional policies.
 *
 * <pre>{@code
 * ModelLifecycle models = ModelLifecycle.create(vertx, client, new LifecycleOptions()
 *     .setReconcileInterval(Duration.ofSeconds(30)).setIdleTimeout(Duration.ofMinutes(20)).setMaxLoaded(2)
 *     .setWarm(List.of("llama3.2")));
 * models.start();                                          // warm list, periodic /api/ps + policies
 * models.ensureAvailable("qwen3:8b", PullPolicy.IF_MISSING, p -> log(p.status())).await();
 * models.load("qwen3:8b", KeepAlive.of(Duration.ofMinutes(30)), null).await();
 * models.check(request).compose(v -> client.chat(request));   // fail fast on capabilities and version
 * models.tracker().touch("qwen3:8b");                          // the provider adapter records use
 * models.addListener(e -> log(e.model() + " " + e.from() + " -> " + e.to()));
 * models.stop();
 * }</pre>
 *
 * <p>Loads of one model that are in flight together share one request (same keep-alive and
 * options); loads and unloads of one model run in call order. Each lifecycle call ends with a
 * reconcile from {@code /api/ps}. All methods are non-blocking and thread-safe.
 */
public interface ModelLifecycle {

  /** A lifecycle for the client's host; call {@link #start()} for the warm list and the poll. */
  static ModelLifecycle create(Vertx vertx, OllamaClient client, LifecycleOptions options) {
    return new ModelLifecycleImpl(vertx, client, new LifecycleOptions(options));
  }

  /**
   * Loads the model (an empty generate, or an input-less embed for embedding-only models), under
   * the {@link LifecycleOptions#getLoadTimeout() load timeout}: Ollama answers only once the model
   * is in memory, and if this client leaves first, the server aborts the load. A timeout fails with
   * {@link core.llm.common.LlmTimeoutException} (phase FIRST_BYTE) and the state goes FAILED.
   *
   * @param keepAlive how long the server keeps it after its last use; null keeps the server's value
   *     (5 min on a fresh load); {@link KeepAlive#FOREVER} pins it
   * @param options load-time options (num_ctx, num_gpu...); a change reloads the model; may be null
   */
  Future<LoadResult> load(String model, KeepAlive keepAlive, Options options);

  /** {@code load(model, null, null)}. */
  default Future<LoadResult> load(String model) {
    return load(model, null, null);
  }

  /** Loads the model and keeps it loaded until {@link #unload}; policies never unload it. */
  Future<LoadResult> pin(String model);

  /**
   * Unloads the model ({@code keep_alive:0} with no prompt), confirmed by {@code
   * done_reason:"unload"}. If requests are running on it, the server unloads it when they finish.
   */
  Future<Void> unload(String model);

  /**
   * {@code /api/ps}: the loaded models with expiry, size and VRAM share; also reconciles the
   * tracker.
   */
  Future<List<ProcessModel>> running();

  /** Whether {@code /api/ps} lists the model (any spelling of its name). */
  Future<Boolean> isLoaded(String model);

  /**
   * Makes sure the model is installed: looks it up in {@code /api/tags} (tag-normalised), pulls it
   * when the policy says so (each progress line goes to {@code progress}, which may be null), then
   * looks again. {@link PullPolicy#NEVER} on a missing model fails with {@link
   * core.llm.common.ModelNotFoundException} naming the {@code ollama pull} command.
   *
   * @return the model's {@code /api/tags} row after any pull
   */
  Future<ListModel> ensureAvailable(
      String model, PullPolicy policy, Handler<ProgressResponse> progress);

  /** The cached capabilities of a model ({@code /api/show}). */
  Future<ModelCapabilities> capabilities(String model);

  /** Fails fast if the chat request needs a capability the model lacks or a newer server. */
  Future<Void> check(ChatRequest request);

  /** Fails fast if the generate request needs a capability the model lacks or a newer server. */
  Future<Void> check(GenerateRequest request);

  /** Fails fast if the embed request targets a non-embedding model or needs a newer server. */
  Future<Void> check(EmbedRequest request);

  /** Polls {@code /api/ps} now and applies the idle and LRU policies. */
  Future<List<ProcessModel>> reconcile();

  /** States, last use and expiry per model; {@code touch(model)} records a use. */
  ModelTracker tracker();

  /** Records a use of the model now (for the idle and LRU policies); call it for each request. */
  default void touch(String model) {
    tracker().touch(model);
  }

  /** Shortcut for {@code tracker().addListener(listener)}. */
  default void addListener(Consumer<ModelEvent> listener) {
    tracker().addListener(listener);
  }

  /**
   * Starts the periodic reconcile (if an interval is set) and loads the warm list. Completes when
   * the warm loads are done (failed if one failed; the others and the timer are unaffected).
   */
  Future<Void> start();

  /** Stops the periodic reconcile; leaves no timer behind. In-flight calls complete normally. */
  void stop();
}
