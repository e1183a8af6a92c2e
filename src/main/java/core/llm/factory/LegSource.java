package core.llm.factory;

import core.llm.common.LlmException;
import io.vertx.core.Future;

/**
 * Supplies the provider for each attempt of one request; the retry/failover policy lives behind it.
 */
interface LegSource {
  /**
   * The next attempt: the first when {@code failure} is null, else the one after that retryable
   * failure (same provider after a backoff, or the next candidate). Fails with the final error when
   * there is none left.
   */
  Future<Lease> next(LlmException failure);

  /** Told when a stream fails after its first token (for events). */
  default void midStream(Lease lease, LlmException e) {}

  /** The model to put on the wire (aliases resolved). */
  String model();
}
