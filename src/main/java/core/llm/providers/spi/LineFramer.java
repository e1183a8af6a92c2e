package core.llm.providers.spi;

/**
 * Splits a byte stream into lines on {@code \n}. A line may span any number of buffers (so half a
 * line, or half a UTF-8 character, is simply kept until the rest arrives); a trailing {@code \r}
 * and leading blanks are trimmed; blank lines are skipped; a line longer than the limit stops the
 * framing instead of growing without bound. Lines are handed out as slices, never copied unless
 * they span buffers.
 */
final class LineFramer {
  /**
   * A partial-line array larger than this is dropped once its line is out, not kept for the next.
   */
  private static final int KEPT_CAPACITY = 64 * 1024;

  private static final byte[] EMPTY = new byte[0];

  /**
   * Receives one non-blank line; returns false to stop framing (the stream has ended or failed).
   */
  interface LineHandler {
    boolean line(byte[] bytes, int offset, int length);
  }

  private final int maxLineSize;
  private byte[] partial = EMPTY;
  private int partialLength;
  private boolean overlong;

  LineFramer(int maxLineSize) {
    this.maxLineSize = maxLineSize;
  }

  /**
   * Frames the first {@code length} bytes; false when framing stopped (see {@link #overlong()}).
   */
  boolean feed(byte[] bytes, int length, LineHandler handler) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      boolean go;
      if (partialLength > 0) {
        if (!appendPartial(bytes, start, i - start)) {
          return false;
        }
        int whole = partialLength;
        partialLength = 0;
        go = emit(partial, 0, whole, handler);
        if (partial.length > KEPT_CAPACITY) {
          partial = EMPTY; // one long line must not hold its memory for the rest of the stream
        }
      } else {
        if (i - start > maxLineSize) {
          overlong = true;
          return false;
        }
        go = emit(bytes, start, i - start, handler);
      }
      if (!go) {
        return false;
      }
      start = i + 1;
    }
    return start >= length || appendPartial(bytes, start, length - start);
  }

  /** The body ended: a last line without {@code \n} still counts. */
  boolean finish(LineHandler handler) {
    if (partialLength == 0) {
      return true;
    }
    int length = partialLength;
    partialLength = 0;
    boolean go = emit(partial, 0, length, handler);
    partial = EMPTY;
    return go;
  }

  /** Bytes held for a line that spans buffers (the array's size, which is what memory holds). */
  int retained() {
    return partial.length;
  }

  /** Whether framing stopped because a line exceeded the limit. */
  boolean overlong() {
    return overlong;
  }

  private boolean appendPartial(byte[] bytes, int offset, int length) {
    int needed = partialLength + length;
    if (needed > maxLineSize) {
      overlong = true;
      partialLength = 0;
      partial = EMPTY;
      return false;
    }
    if (needed > partial.length) {
      byte[] grown = new byte[Math.min(maxLineSize, Math.max(needed, partial.length * 2 + 256))];
      System.arraycopy(partial, 0, grown, 0, partialLength);
      partial = grown;
    }
    System.arraycopy(bytes, offset, partial, partialLength, length);
    partialLength = needed;
    return true;
  }

  private static boolean emit(byte[] bytes, int offset, int length, LineHandler handler) {
    int end = offset + length;
    if (end > offset && bytes[end - 1] == '\r') {
      end--;
    }
    while (offset < end && (bytes[offset] == ' ' || bytes[offset] == '\t')) {
      offset++;
    }
    return offset == end || handler.line(bytes, offset, end - offset);
  }
}
