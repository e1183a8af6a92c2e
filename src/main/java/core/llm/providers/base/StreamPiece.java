package core.llm.providers.base;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import io.vertx.core.buffer.Buffer;

/**
 * One piece of a {@link LlmProvider#relayStream relayed} stream: either a neutral delta, for the
 * caller to encode in its own format, or bytes the provider's server wrote in the asked {@link
 * WireFormat}, to pass on as they are. A stream carries one kind only: its provider decides before
 * the first piece.
 */
public sealed interface StreamPiece {

  /** A neutral delta (the provider's server does not speak the asked format). */
  record Delta(CompletionDelta delta) implements StreamPiece {}

  /**
   * Whole lines of the server's stream in the asked format, exactly as it wrote them, end marker
   * included: the caller adds nothing after the last piece. Error lines are never passed on; they
   * fail the stream as typed errors instead.
   */
  record Wire(Buffer bytes) implements StreamPiece {}

  /** A stream of neutral deltas as pieces: what a relay gets from a server of another format. */
  static ResponseStream<StreamPiece, CompletionResult> deltas(
      ResponseStream<CompletionDelta, CompletionResult> stream) {
    return new MappedResponseStream<>(stream, Delta::new, r -> r);
  }
}
