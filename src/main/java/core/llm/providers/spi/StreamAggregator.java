package core.llm.providers.spi;

/**
 * Folds the chunks of a stream into its final result, chunk by chunk as they are decoded.
 *
 * @param <T> chunk type
 * @param <R> result type
 */
public interface StreamAggregator<T, R> {
  void accept(T chunk);

  R result();

  /**
   * Whether the result grows with the stream (text, thinking, tool calls, logprobs): then the lines
   * folded into it count against the result cap and the client's budget. A summary of fixed size
   * (pull progress) says false.
   */
  default boolean accumulates() {
    return true;
  }
}
