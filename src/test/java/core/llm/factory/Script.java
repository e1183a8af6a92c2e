package core.llm.factory;

import core.llm.common.LlmException;
import java.util.List;

/**
 * What one call to a {@link FakeProvider} does: reply with tokens, fail before the first token,
 * fail after N tokens, after an optional real delay; or hang until {@code release} is completed.
 */
record Script(
    List<String> tokens,
    LlmException error,
    int failAfter,
    long delayMs,
    io.vertx.core.Promise<Void> hold) {

  static Script ok(String... tokens) {
    return new Script(List.of(tokens), null, -1, 0, null);
  }

  /** Fails before any token. */
  static Script fail(LlmException e) {
    return new Script(List.of(), e, 0, 0, null);
  }

  /** Streams {@code n} of the tokens, then fails. */
  static Script failAfter(int n, LlmException e, String... tokens) {
    return new Script(List.of(tokens), e, n, 0, null);
  }

  Script delayed(long ms) {
    return new Script(tokens, error, failAfter, ms, hold);
  }

  /** Replies only once {@code gate} completes (to keep a request in flight). */
  Script heldBy(io.vertx.core.Promise<Void> gate) {
    return new Script(tokens, error, failAfter, delayMs, gate);
  }

  boolean failsBeforeFirstToken() {
    return error != null && failAfter <= 0;
  }
}
