package core.llm.providers.ollama;

/**
 * What {@link ModelTracker} believes about one model on one Ollama host.
 *
 * <pre>
 *  UNKNOWN ──load──▶ LOADING ──done_reason "load"──▶ LOADED ──unload──▶ UNLOADING ──"unload"──▶ UNLOADED
 *                       │                              ▲  │                  │
 *                       └──error / timeout──▶ FAILED ──┘  └─absent from /api/ps (expired, evicted)─▶ UNLOADED
 * </pre>
 *
 * LOADING and UNLOADING only exist while this process has a request in flight; every other state is
 * also reconciled from {@code /api/ps}, so loads and unloads made by others are seen too.
 */
public enum ModelState {
  /** Never seen by this tracker. */
  UNKNOWN,
  /** A load request of this process is in flight (a cold load can take minutes). */
  LOADING,
  /** Confirmed by {@code done_reason:"load"} or listed by {@code /api/ps}. */
  LOADED,
  /** An unload request ({@code keep_alive:0}) of this process is in flight. */
  UNLOADING,
  /** Confirmed by {@code done_reason:"unload"}, or no longer listed by {@code /api/ps}. */
  UNLOADED,
  /** The last load or unload of this process failed (timeout, not found, server error). */
  FAILED
}
