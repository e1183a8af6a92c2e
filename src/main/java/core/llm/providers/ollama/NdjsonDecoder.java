package core.llm.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import core.llm.common.InvalidResponseException;
import core.llm.providers.spi.LineDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decodes Ollama's NDJSON lines into records. A line with a top-level {@code error} key fails the
 * stream (even after status 200); the chunk for which {@code isFinal} holds completes it; a line
 * that is not JSON fails it with the start of the line quoted.
 *
 * <p>Each line is parsed once. For records that keep unknown keys ({@code extra()}), an error line
 * is a record whose extras hold {@code error}; for the others the bytes are scanned for the key
 * first (progress streams: a few lines a second, so the scan costs nothing that matters).
 */
final class NdjsonDecoder<T> implements LineDecoder<T> {
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  /** One reader per record type for the life of the JVM: a stream should not build its own. */
  private static final ClassValue<ObjectReader> READERS =
      new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
          return OllamaJson.MAPPER.readerFor(type);
        }
      };

  private final ObjectReader reader;
  private final Class<T> type;
  private final Predicate<T> isFinal;
  private final String endMarker;
  private final Function<T, Map<String, Object>> extras;

  /**
   * @param extras the record's unknown keys, or null when the record keeps none (then lines are
   *     scanned for an error key before parsing)
   */
  NdjsonDecoder(
      Class<T> type,
      Predicate<T> isFinal,
      String endMarker,
      Function<T, Map<String, Object>> extras) {
    this.type = type;
    this.reader = READERS.get(type);
    this.isFinal = isFinal;
    this.endMarker = endMarker;
    this.extras = extras;
  }

  @Override
  public void line(byte[] bytes, int offset, int length, Sink<T> sink) {
    T chunk;
    try {
      if (extras == null && contains(bytes, offset, length, ERROR_KEY)) {
        JsonNode node = OllamaJson.MAPPER.readTree(bytes, offset, length);
        JsonNode error = node == null ? null : node.get("error");
        if (error != null) {
          JsonNode signin = node.get("signin_url");
          failWith(
              sink,
              error.isTextual() ? error.asText() : error.toString(),
              signin == null ? null : signin.asText());
          return;
        }
        chunk = reader.treeToValue(node, type);
      } else {
        chunk = reader.readValue(bytes, offset, length);
      }
    } catch (IOException e) {
      String start = new String(bytes, offset, Math.min(length, 120), StandardCharsets.UTF_8);
      sink.fail(
          new InvalidResponseException(
              "Ollama sent a line that is not a JSON object in the stream of "
                  + sink.errorContext().endpoint()
                  + ": \""
                  + start
                  + (length > 120 ? "..." : "")
                  + "\"",
              sink.errorContext(),
              e));
      return;
    }
    if (chunk != null && extras != null) {
      Map<String, Object> unknown = extras.apply(chunk);
      Object error = unknown.get("error");
      if (error != null) {
        Object signin = unknown.get("signin_url");
        failWith(
            sink,
            error instanceof String text ? text : String.valueOf(error),
            signin == null ? null : signin.toString());
        return;
      }
    }
    if (chunk == null) {
      return;
    }
    sink.emit(chunk);
    if (isFinal.test(chunk)) {
      sink.complete();
    }
  }

  private static <T> void failWith(Sink<T> sink, String message, String signinUrl) {
    sink.fail(OllamaErrors.streamError(message, signinUrl, sink.emitted(), sink.errorContext()));
  }

  @Override
  public void end(Sink<T> sink) {
    sink.incomplete(
        "The stream of "
            + sink.errorContext().endpoint()
            + " ended after "
            + sink.emitted()
            + " chunk(s) without "
            + endMarker
            + "; the reply is incomplete (the server stopped early or the connection dropped)");
  }

  private static boolean contains(byte[] bytes, int offset, int length, byte[] needle) {
    int last = offset + length - needle.length;
    outer:
    for (int i = offset; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
