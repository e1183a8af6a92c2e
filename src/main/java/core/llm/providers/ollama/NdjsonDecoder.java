package core.llm.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import core.llm.common.InvalidResponseException;
import core.llm.providers.base.LineDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Decodes Ollama's NDJSON lines into records. A line with a top-level {@code error} key fails the
 * stream (even after status 200); the chunk for which {@code isFinal} holds completes it; a line
 * that is not JSON fails it with the start of the line quoted.
 */
final class NdjsonDecoder<T> implements LineDecoder<T> {
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private final ObjectReader reader;
  private final Class<T> type;
  private final Predicate<T> isFinal;
  private final String endMarker;

  NdjsonDecoder(Class<T> type, Predicate<T> isFinal, String endMarker) {
    this.type = type;
    this.reader = OllamaJson.MAPPER.readerFor(type);
    this.isFinal = isFinal;
    this.endMarker = endMarker;
  }

  @Override
  public void line(byte[] bytes, int offset, int length, Sink<T> sink) {
    T chunk;
    try {
      if (contains(bytes, offset, length, ERROR_KEY)) {
        // Rare: parse as a tree only when the bytes could hold an error key.
        JsonNode node = OllamaJson.MAPPER.readTree(bytes, offset, length);
        JsonNode error = node == null ? null : node.get("error");
        if (error != null) {
          JsonNode signin = node.get("signin_url");
          sink.fail(OllamaErrors.streamError(
              error.isTextual() ? error.asText() : error.toString(),
              signin == null ? null : signin.asText(),
              sink.emitted(),
              sink.errorContext()));
          return;
        }
        chunk = reader.treeToValue(node, type);
      } else {
        chunk = reader.readValue(bytes, offset, length);
      }
    } catch (IOException e) {
      String start = new String(bytes, offset, Math.min(length, 120), StandardCharsets.UTF_8);
      sink.fail(new InvalidResponseException(
          "Ollama sent a line that is not a JSON object in the stream of "
              + sink.errorContext().endpoint() + ": \"" + start + (length > 120 ? "..." : "")
              + "\"",
          sink.errorContext(),
          e));
      return;
    }
    if (chunk == null) {
      return;
    }
    sink.emit(chunk);
    if (isFinal.test(chunk)) {
      sink.complete();
    }
  }

  @Override
  public void end(Sink<T> sink) {
    sink.incomplete(
        "The stream of " + sink.errorContext().endpoint() + " ended after " + sink.emitted()
            + " chunk(s) without " + endMarker
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
