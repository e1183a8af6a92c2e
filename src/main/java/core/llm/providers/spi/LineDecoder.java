package core.llm.providers.spi;

/**
 * Turns the lines of a streamed body into chunks. The transport frames the bytes on {@code \n} (a
 * trailing {@code \r} is removed, blank lines are skipped, a last line without newline counts); the
 * decoder sees each line as a slice of a byte array it must not keep.
 *
 * @param <T> the chunk type
 */
public interface LineDecoder<T> {

  /** Decodes one non-blank line. Emits zero or more chunks, or completes, or fails the sink. */
  void line(byte[] bytes, int offset, int length, Sink<T> sink);

  /** The body ended. Complete the sink if the end marker was seen, else fail it. */
  void end(Sink<T> sink);

  /** Where a decoder sends its results. */
  interface Sink<T> {
    void emit(T chunk);

    /** The end marker was seen: the stream ends after the chunks already emitted. */
    void complete();

    void fail(Throwable error);

    /**
     * The body ended without the end marker: fails the stream with an {@link
     * core.llm.common.IncompleteStreamException} carrying the chunks received.
     */
    void incomplete(String message);

    /** How many chunks were emitted so far (for messages). */
    int emitted();

    /** Provider and endpoint of this stream, for typed errors. */
    core.llm.common.ErrorContext errorContext();
  }
}
