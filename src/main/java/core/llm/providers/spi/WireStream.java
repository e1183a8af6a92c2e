package core.llm.providers.spi;

import core.llm.common.IncompleteStreamException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.OverloadedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An NDJSON body handed on as the bytes that arrived, cut at line ends, for a caller that relays
 * them to a client of the same API: one piece per network buffer, no record per line.
 *
 * <p>Every line is looked at, none is parsed unless it has to be. A line that has the shape of a
 * plain chunk (an object whose last top-level {@code "done":} is {@code false}) passes as it is;
 * any other line (an error line, the final line, a line that is not an object) goes through the
 * decoder, which fails the stream (an error line, garbage: typed, as with {@link LineStream}) or
 * completes it (the end marker; that line is the result). Bytes are handed on only up to the end of
 * the last whole line seen, so a piece never ends inside a line, an error line is never passed on
 * (the bytes before it are, then the failure), and nothing after the end marker is. A line split
 * across buffers waits, bounded by the longest line allowed, for its end.
 *
 * <p>Flow control, timeouts, cancellation and the memory budget are {@link LineStream}'s: while the
 * consumer cannot take a piece, the response is paused.
 */
final class WireStream<R> extends DeliveredExchange<Buffer, R> implements LineDecoder.Sink<R> {
  private static final byte[] DONE_KEY = "\"done\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAIN_END = ",\"done\":false}".getBytes(StandardCharsets.US_ASCII);
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final LineDecoder<R> decoder;
  private final int maxLineSize;

  private boolean markerSeen;
  private LlmException pendingFailure;

  /** What the line just read brought: a failure, raised once the bytes before it are queued. */
  private LlmException lineFailure;

  /** The end was handed to delivery. */
  private boolean ended;

  /** The decoded line that carried the end marker: the result. */
  private R last;

  /** Lines seen (for messages). */
  private int lines;

  /** The start of the line being read, from an earlier buffer: held until its end arrives. */
  private byte[] carry = new byte[256];

  private int carried;

  /** Bytes reserved of the transport's budget (what {@link #carry} holds). */
  private long reserved;

  /** Whether the line being decoded is the body's last one, without a newline. */
  private boolean unterminatedLine;

  private byte[] scratch = new byte[1024];

  WireStream(HttpTransport transport, HttpCall call, LineDecoder<R> decoder, int maxLineSize) {
    super(transport, call);
    this.decoder = decoder;
    this.maxLineSize = maxLineSize;
  }

  // ---- exchange callbacks (on the context) ----

  @Override
  void onSuccessHead(HttpClientResponse resp) {
    resp.handler(this::onBuffer);
    delivery.deliver();
  }

  private void onBuffer(Buffer buffer) {
    touch();
    if (markerSeen || pendingFailure != null || terminated) {
      return; // anything after the final line is ignored; the body is drained for reuse
    }
    int length = buffer.length();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
    }
    buffer.getBytes(0, length, scratch, 0);
    int prefix = carried; // the start of a line from earlier buffers, already in carry
    int lineStart = 0;
    int handOn = 0; // bytes of this buffer up to the end of its last whole line
    for (int i = indexOfNewline(scratch, 0, length);
        i >= 0;
        i = indexOfNewline(scratch, i + 1, length)) {
      boolean more;
      if (lineStart == 0 && prefix > 0) {
        more = append(scratch, 0, i) && line(carry, 0, carried);
      } else {
        more = line(scratch, lineStart, i - lineStart);
      }
      if (lineFailure != null) {
        break; // the failing line and what follows it are not passed on
      }
      handOn = i + 1;
      lineStart = i + 1;
      if (!more) {
        break; // the end marker: nothing after it
      }
    }
    if (handOn > 0) {
      delivery.enqueue(
          prefix == 0
              ? buffer.slice(0, handOn)
              : Buffer.buffer(prefix + handOn)
                  .appendBytes(carry, 0, prefix)
                  .appendBuffer(buffer, 0, handOn));
      carried = 0;
    }
    if (!markerSeen && lineFailure == null && lineStart < length) {
      append(scratch, lineStart, length - lineStart); // a line that goes on in the next buffer
    }
    settle();
  }

  /**
   * After the pieces a buffer gave: the failure or the end a line brought, else the budget; then
   * delivery.
   */
  private void settle() {
    if (lineFailure != null) {
      LlmException e = lineFailure;
      lineFailure = null;
      carried = 0;
      super.fail(e);
      return;
    }
    if (markerSeen && !ended) {
      ended = true;
      carried = 0;
      delivery.end();
      drainRest();
    }
    account();
    delivery.deliver();
  }

  /** Adds bytes to the unfinished line; fails the stream if it grows past the longest allowed. */
  private boolean append(byte[] bytes, int offset, int length) {
    if (carried + length > maxLineSize) {
      lineFailure =
          new InvalidResponseException(
              "A line of the stream from "
                  + call.endpoint()
                  + " is longer than "
                  + maxLineSize
                  + " bytes; raise maxLineSize if the server really sends such lines",
              errorContext);
      return false;
    }
    if (carry.length < carried + length) {
      carry = java.util.Arrays.copyOf(carry, Math.max(carried + length, 2 * carry.length));
    }
    System.arraycopy(bytes, offset, carry, carried, length);
    carried += length;
    return true;
  }

  /**
   * One whole line (without its newline). Returns whether reading goes on: false once the end
   * marker was seen or the stream failed.
   */
  private boolean line(byte[] bytes, int offset, int length) {
    int end = offset + length;
    if (end > offset && bytes[end - 1] == '\r') {
      end--;
    }
    if (end == offset) {
      return true; // a blank line: passed on, as the server wrote it
    }
    lines++;
    if (plain(bytes, offset, end)) {
      return true;
    }
    try {
      decoder.line(bytes, offset, end - offset, this);
    } catch (LlmException e) {
      fail((Throwable) e);
    } catch (RuntimeException e) {
      fail(
          (Throwable)
              new InvalidResponseException(
                  "Could not decode a line of the stream from "
                      + call.endpoint()
                      + ": "
                      + e.getMessage(),
                  errorContext,
                  e));
    }
    return !markerSeen && lineFailure == null;
  }

  /**
   * Whether the line has the shape of a chunk that is neither the last nor an error: an object
   * whose last top-level {@code "done":} is {@code false}. Inside a JSON string a quote is always
   * escaped, so {@code "done":} there cannot match; the key's last occurrence is the top-level one
   * in Ollama's field order (it follows the message). A line this cannot vouch for is decoded.
   */
  private static boolean plain(byte[] bytes, int from, int to) {
    if (bytes[from] != '{' || bytes[to - 1] != '}') {
      return false;
    }
    if (endsWith(bytes, from, to, PLAIN_END)) {
      return true; // how Ollama ends every chunk but the last
    }
    outer:
    for (int i = to - DONE_KEY.length - 1; i > from; i--) {
      for (int j = 0; j < DONE_KEY.length; j++) {
        if (bytes[i + j] != DONE_KEY[j]) {
          continue outer;
        }
      }
      return bytes[i + DONE_KEY.length] == 'f';
    }
    return false;
  }

  private static boolean endsWith(byte[] bytes, int from, int to, byte[] suffix) {
    int start = to - suffix.length;
    if (start < from) {
      return false;
    }
    for (int j = 0; j < suffix.length; j++) {
      if (bytes[start + j] != suffix[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of the first {@code \n} in {@code [from, to)}, or -1: eight bytes at a time (a
   * relayed stream's every byte passes here).
   */
  static int indexOfNewline(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
      long found = (x - ONES) & ~x & HIGH_BITS; // the lowest byte that was a newline is exact
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Brings this stream's share of the client's budget up to date; fails it if over. */
  private void account() {
    if (terminated) {
      return;
    }
    if (!transport.reserve(carried - reserved)) {
      fail(
          new OverloadedException(
              "The streams of this client hold more than "
                  + transport.maxBufferedBytes()
                  + " bytes in all, so the stream of "
                  + call.endpoint()
                  + " was failed to keep memory bounded; raise maxBufferedBytes, or run fewer"
                  + " large streams at once",
              errorContext));
      return;
    }
    reserved = carried;
  }

  @Override
  void released() {
    transport.reserve(-reserved);
    reserved = 0;
  }

  @Override
  void onSuccessEnd() {
    if (!markerSeen && pendingFailure == null && carried > 0) {
      // The body's last line had no newline: only an end marker is passed on from it (a cut
      // chunk is not); half a line then the end is a cut stream.
      unterminatedLine = true;
      int length = carried;
      line(carry, 0, length);
      unterminatedLine = false;
      if (markerSeen) {
        delivery.enqueue(Buffer.buffer(length).appendBytes(carry, 0, length));
      }
      carried = 0;
    }
    if (!markerSeen && pendingFailure == null && lineFailure == null) {
      decoder.end(this);
    }
    if (markerSeen) {
      terminate(false);
    }
    settle();
  }

  @Override
  LlmException onBodyFailure(Throwable cause) {
    return incompleteError(
        "The connection closed after "
            + lines
            + " line(s) of "
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
    delivery.deliver();
  }

  // ---- sink (what the decoder makes of the lines it is given) ----

  @Override
  public void emit(R chunk) {
    last = chunk;
  }

  @Override
  public void complete() {
    if (lineFailure == null && pendingFailure == null) {
      markerSeen = true; // ended once the pieces before it are queued (see settle)
    }
  }

  /** The decoder's verdict on a line: the stream fails once the bytes before it are queued. */
  @Override
  public void fail(Throwable error) {
    if (lineFailure != null || markerSeen) {
      return;
    }
    if (unterminatedLine && error instanceof InvalidResponseException) {
      lineFailure =
          incompleteError(
              "The stream of "
                  + call.endpoint()
                  + " ended in the middle of a line after "
                  + lines
                  + " line(s); the reply is incomplete (the server stopped early or the connection"
                  + " dropped)");
      return;
    }
    lineFailure =
        error instanceof LlmException e
            ? e
            : new InvalidResponseException(String.valueOf(error.getMessage()), errorContext, error);
  }

  @Override
  public void incomplete(String message) {
    fail((Throwable) incompleteError(message));
  }

  private IncompleteStreamException incompleteError(String message) {
    // the bytes went to the caller as they came; nothing is kept here to quote
    return new IncompleteStreamException(message, List.of(), lines, null, errorContext);
  }

  @Override
  public core.llm.common.ErrorContext errorContext() {
    return errorContext;
  }

  @Override
  public int emitted() {
    return lines;
  }

  @Override
  R endResult() {
    return last;
  }

  @Override
  boolean markerSeen() {
    return markerSeen;
  }
}
