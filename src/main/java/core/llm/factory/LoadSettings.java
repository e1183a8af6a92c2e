package core.llm.factory;

import core.llm.common.CompletionRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The load-time settings of a chat (ollama-api.md §4.5, Ollama's {@code Runner} options and {@code
 * shift}): a request whose settings differ from those the loaded copy was started with makes Ollama
 * reload the model, so placement prefers a host whose copy matches. {@code num_ctx} is kept apart
 * because {@code /api/ps} reports it for any loaded copy; the others are known only from what this
 * factory last sent to each host.
 *
 * @param numCtx the request's {@code num_ctx}, or null
 * @param runner the other load-time options the request sets, values normalised (whole numbers as
 *     {@code Long})
 */
record LoadSettings(Integer numCtx, Map<String, Object> runner) {
  static final LoadSettings NONE = new LoadSettings(null, Map.of());

  /**
   * Runner options whose absence means the server's default, so leaving one out after a request
   * that set it reloads too.
   */
  private static final List<String> DEFAULTED =
      List.of("num_gpu", "main_gpu", "use_mmap", "num_thread", "draft_num_predict", "shift");

  /** Counts only when set: a request without it runs on whatever copy is loaded. */
  private static final String NUM_BATCH = "num_batch";

  static LoadSettings of(CompletionRequest request) {
    Map<String, Object> options = request.options().providerOptions();
    if (options.isEmpty()) {
      return NONE; // the common case costs one call
    }
    Integer numCtx = options.get("num_ctx") instanceof Number n ? n.intValue() : null;
    Map<String, Object> runner = null;
    for (String key : DEFAULTED) {
      runner = put(runner, key, options.get(key));
    }
    runner = put(runner, NUM_BATCH, options.get(NUM_BATCH));
    if (numCtx == null && runner == null) {
      return NONE;
    }
    return new LoadSettings(numCtx, runner == null ? Map.of() : Map.copyOf(runner));
  }

  static LoadSettings ofNumCtx(Integer numCtx) {
    return numCtx == null ? NONE : new LoadSettings(numCtx, Map.of());
  }

  /**
   * Whether a copy started by a request with {@code loadedWith} must reload to serve this one
   * ({@code num_ctx} aside).
   */
  boolean reloads(LoadSettings loadedWith) {
    for (String key : DEFAULTED) {
      if (!Objects.equals(runner.get(key), loadedWith.runner.get(key))) {
        return true;
      }
    }
    Object batch = runner.get(NUM_BATCH);
    return batch != null && !batch.equals(loadedWith.runner.get(NUM_BATCH));
  }

  /**
   * The options a load must carry to start the copy this request would run on, or null when a load
   * cannot (Ollama's {@code shift} is a request field, not an option).
   */
  Map<String, Object> loadOptions() {
    if (runner.containsKey("shift")) {
      return null;
    }
    if (numCtx == null) {
      return runner;
    }
    Map<String, Object> out = new HashMap<>(runner);
    out.put("num_ctx", numCtx);
    return out;
  }

  /** Whether the request sets anything besides {@code num_ctx} that the loaded copy depends on. */
  boolean hasRunnerOptions() {
    return !runner.isEmpty();
  }

  private static Map<String, Object> put(Map<String, Object> into, String key, Object value) {
    if (value == null) {
      return into;
    }
    Map<String, Object> out = into == null ? new HashMap<>(4) : into;
    // 2 and 2.0 and 2L are the same setting to the server (an integer field fed a float is cut)
    out.put(
        key,
        value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            ? (Object) n.longValue()
            : value);
    return out;
  }
}
