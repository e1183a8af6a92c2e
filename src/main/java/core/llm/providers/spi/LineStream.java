package core.llm.providers.spi;

import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.OverloadedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * A streamed body framed into lines, decoded into chunks, and delivered with back-pressure.
 *
 * <p>Chunks decoded from one network buffer wait in {@link ChunkDelivery}'s small queue; while it
 * cannot be delivered (no handler, or no demand) the response is paused, so the socket is not read
 * and memory stays bounded by one buffer's worth of chunks. A failure is delivered after the chunks
 * that came before it; the connection is closed at once.
 */
final class LineStream<T, R> extends DeliveredExchange<T, R> implements LineDecoder.Sink<T> {
  private final LineDecoder<T> decoder;
  private final StreamAggregator<T, R> aggregator;
  private final int maxLineSize;
  private final int maxResultSize;

  /** The last chunks, for an "incomplete" error; bounded so long streams hold bounded memory. */
  private final ArrayDeque<T> recent = new ArrayDeque<>();

  private boolean markerSeen;

  /** Decoding the body's last line, which had no newline: the body may have been cut inside it. */
  private boolean unterminatedLine;

  private LlmException pendingFailure;

  /** The folded result, kept from the end marker until the end reaches the consumer. */
  private R folded;

  private int emitted;

  /** Bytes of the lines folded into the result so far (what the aggregate holds, about). */
  private long resultBytes;

  /** Bytes reserved of the transport's budget: lines being framed plus {@link #resultBytes}. */
  private long reserved;

  private final LineFramer framer;

  /**
   * Grown to the largest buffer seen. It starts small: Ollama writes one line per chunk (~150
   * bytes), and an 8 KB start was a third of what a short non-streamed chat allocates.
   */
  private byte[] scratch = new byte[1024];

  LineStream(
      HttpTransport transport,
      HttpCall call,
      LineDecoder<T> decoder,
      StreamAggregator<T, R> aggregator,
      int maxLineSize,
      int maxResultSize) {
    super(transport, call);
    this.decoder = decoder;
    this.aggregator = aggregator;
    this.maxLineSize = maxLineSize;
    this.maxResultSize = maxResultSize;
    this.framer = new LineFramer(maxLineSize);
  }

  // ---- exchange callbacks (on the context) ----

  @Override
  void onSuccessHead(HttpClientResponse resp) {
    resp.handler(this::onBuffer);
    deliver();
  }

  private void onBuffer(Buffer buffer) {
    touch();
    if (markerSeen || pendingFailure != null) {
      return; // anything after the final chunk is ignored; the body is drained for reuse
    }
    int length = buffer.length();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
    }
    // One array per stream: lines are decoded before the next buffer overwrites it, and the framer
    // copies a line that spans buffers into its own array.
    buffer.getBytes(0, length, scratch, 0);
    if (!framer.feed(scratch, length, this::line) && framer.overlong()) {
      overlong();
    }
    account();
    deliver();
  }

  /** Brings this stream's share of the client's budget up to date; fails it if over. */
  private void account() {
    if (terminated) {
      return; // released already
    }
    long now = framer.retained() + resultBytes;
    if (!transport.reserve(now - reserved)) {
      fail(
          new OverloadedException(
              "The streams of this client hold more than "
                  + transport.maxBufferedBytes()
                  + " bytes in all (lines being read and replies being assembled), so the stream of "
                  + call.endpoint()
                  + " was failed to keep memory bounded; raise maxBufferedBytes, or"
                  + " run fewer large streams at once",
              errorContext));
      return;
    }
    reserved = now;
  }

  @Override
  void released() {
    transport.reserve(-reserved);
    reserved = 0;
  }

  private void overlong() {
    fail(
        new InvalidResponseException(
            "A line of the stream from "
                + call.endpoint()
                + " is longer than "
                + maxLineSize
                + " bytes; raise maxLineSize if the server really sends such lines",
            errorContext));
  }

  /** One framed line; returns whether framing should go on. */
  private boolean line(byte[] bytes, int offset, int length) {
    int before = emitted;
    try {
      decoder.line(bytes, offset, length, this);
    } catch (LlmException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(
          new InvalidResponseException(
              "Could not decode a line of the stream from "
                  + call.endpoint()
                  + ": "
                  + e.getMessage(),
              errorContext,
              e));
    }
    if (emitted > before && aggregator != null && aggregator.accumulates()) {
      resultBytes += length;
      if (!markerSeen && resultBytes > maxResultSize) {
        fail(
            new InvalidResponseException(
                "The streamed reply of "
                    + call.endpoint()
                    + " is larger than "
                    + maxResultSize
                    + " bytes; raise maxResultSize if such replies are expected",
                errorContext));
      }
    }
    return !markerSeen && pendingFailure == null;
  }

  @Override
  void onSuccessEnd() {
    if (!markerSeen && pendingFailure == null) {
      unterminatedLine = true;
      framer.finish(this::line);
      unterminatedLine = false;
      account();
    }
    if (!markerSeen && pendingFailure == null) {
      decoder.end(this);
    }
    if (markerSeen) {
      terminate(false);
    }
    deliver();
  }

  @Override
  LlmException onBodyFailure(Throwable cause) {
    return incompleteError(
        "The connection closed after "
            + emitted
            + " chunk(s) of "
            + call.endpoint()
            + " before the stream's end marker");
  }

  @Override
  void onFailure(LlmException error) {
    if (markerSeen) {
      return; // the caller already has everything; a late failure while draining is irrelevant
    }
    pendingFailure = error;
    delivery.fail(error);
    deliver();
  }

  // ---- sink (decoder output) ----

  @Override
  public void emit(T chunk) {
    if (markerSeen || pendingFailure != null) {
      return;
    }
    emitted++;
    if (recent.size() == IncompleteStreamException.KEPT_CHUNKS) {
      recent.poll();
    }
    recent.add(chunk);
    if (aggregator != null) {
      aggregator.accept(chunk);
    }
    delivery.enqueue(chunk);
  }

  @Override
  public void complete() {
    if (markerSeen || pendingFailure != null) {
      return;
    }
    try {
      folded = aggregator == null ? null : aggregator.result();
    } catch (LlmException e) {
      fail(e);
      return;
    } catch (RuntimeException e) {
      fail(
          new InvalidResponseException(
              "Could not assemble the reply of " + call.endpoint() + ": " + e.getMessage(),
              errorContext,
              e));
      return;
    }
    markerSeen = true;
    recent.clear();
    delivery.end();
    drainRest();
  }

  @Override
  public void fail(Throwable error) {
    if (unterminatedLine && error instanceof InvalidResponseException) {
      // Half a line then a clean end is a cut stream, not a server speaking another protocol: keep
      // what arrived.
      super.fail(
          incompleteError(
              "The stream of "
                  + call.endpoint()
                  + " ended in the middle of a line after "
                  + emitted
                  + " chunk(s); the reply is incomplete (the server stopped early or the connection"
                  + " dropped)"));
      return;
    }
    LlmException typed =
        error instanceof LlmException e
            ? e
            : new InvalidResponseException(String.valueOf(error.getMessage()), errorContext, error);
    super.fail(typed);
  }

  @Override
  public void incomplete(String message) {
    fail(incompleteError(message));
  }

  private IncompleteStreamException incompleteError(String message) {
    Object partial = null;
    if (aggregator != null && emitted > 0) {
      try {
        partial = aggregator.result();
      } catch (RuntimeException e) {
        partial = null; // a half-assembled tool call may not fold; the chunks are still there
      }
    }
    return new IncompleteStreamException(
        message, new ArrayList<>(recent), emitted, partial, errorContext);
  }

  @Override
  public core.llm.common.ErrorContext errorContext() {
    return errorContext;
  }

  @Override
  public int emitted() {
    return emitted;
  }

  // ---- back-pressure: the socket is read only while the consumer can take chunks ----

  private void deliver() {
    delivery.deliver();
  }

  @Override
  R endResult() {
    return folded;
  }

  @Override
  boolean markerSeen() {
    return markerSeen;
  }
}
