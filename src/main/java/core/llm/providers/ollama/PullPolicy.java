package core.llm.providers.ollama;

/** When {@link ModelLifecycle#ensureAvailable} pulls a model. */
public enum PullPolicy {
  /**
   * Pull every time: picks up a newer version of the tag (unchanged layers are not downloaded
   * again).
   */
  ALWAYS,
  /** Pull only when {@code /api/tags} does not list the model (tag-normalised comparison). */
  IF_MISSING,
  /** Never pull: a missing model fails with {@link core.llm.common.ModelNotFoundException}. */
  NEVER
}
