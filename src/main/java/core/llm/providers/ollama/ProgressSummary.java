package core.llm.providers.ollama;

import java.util.Map;

/**
 * The state of a pull, push or create, folded from its progress lines.
 *
 * @param status the last status line ({@code success} when complete)
 * @param layers per digest ({@code sha256:<hex>}): total and completed bytes
 * @param lines how many progress lines arrived
 */
public record ProgressSummary(String status, Map<String, Layer> layers, int lines) {

  /** Bytes of one layer. {@code total} is 0 while the server has not said. */
  public record Layer(long total, long completed) {}

  public long totalBytes() {
    return layers.values().stream().mapToLong(Layer::total).sum();
  }

  public long completedBytes() {
    return layers.values().stream().mapToLong(Layer::completed).sum();
  }

  /** 0.0 to 1.0 over every layer seen so far, for a progress bar; 1.0 after success. */
  public double fraction() {
    if ("success".equals(status)) {
      return 1.0;
    }
    long total = totalBytes();
    return total <= 0 ? 0.0 : Math.min(1.0, (double) completedBytes() / total);
  }
}
