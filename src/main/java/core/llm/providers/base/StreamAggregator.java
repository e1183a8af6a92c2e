package core.llm.providers.base;

/**
 * Folds the chunks of a stream into its final result, chunk by chunk as they are decoded.
 *
 * @param <T> chunk type
 * @param <R> result type
 */
public interface StreamAggregator<T, R> {
  void accept(T chunk);

  R result();
}
