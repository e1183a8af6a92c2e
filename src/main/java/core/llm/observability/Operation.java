package core.llm.observability;

/** What a request asked of a provider; the {@code operation} label of every request metric. */
public enum Operation {
  CHAT("chat"),
  STREAM("stream"),
  EMBED("embed"),
  LIST_MODELS("list_models"),
  HEALTH("health");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  /** The label value: lower case, stable. */
  public String label() {
    return label;
  }
}
