package core.llm.providers.ollama;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import core.llm.common.InvalidResponseException;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.Message;
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

  /** Reads the common line shape without data binding; null when the type has none. */
  private final PlainLines<T> plain;

  /**
   * @param extras the record's unknown keys, or null when the record keeps none (then lines are
   *     scanned for an error key before parsing)
   */
  NdjsonDecoder(
      Class<T> type,
      Predicate<T> isFinal,
      String endMarker,
      Function<T, Map<String, Object>> extras) {
    this(type, isFinal, endMarker, extras, null);
  }

  /**
   * @param plain reads the lines of the common shape (never final, never an error) without data
   *     binding; any other line is read as the record
   */
  NdjsonDecoder(
      Class<T> type,
      Predicate<T> isFinal,
      String endMarker,
      Function<T, Map<String, Object>> extras,
      PlainLines<T> plain) {
    this.plain = plain;
    this.type = type;
    this.reader = READERS.get(type);
    this.isFinal = isFinal;
    this.endMarker = endMarker;
    this.extras = extras;
  }

  @Override
  public void line(byte[] bytes, int offset, int length, Sink<T> sink) {
    if (plain != null) {
      T fast = plain.read(bytes, offset, length);
      if (fast != null) {
        sink.emit(fast);
        return;
      }
    }
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

  /** Reads a line of the common shape into a chunk, or returns null to have it data-bound. */
  interface PlainLines<T> {
    T read(byte[] bytes, int offset, int length);
  }

  /**
   * Recognises a plain chat token line, the shape of all but the last line of most replies: only
   * {@code model}, {@code created_at}, {@code remote_model}, {@code remote_host} (strings), {@code
   * done:false} and a {@code message} of {@code role}, {@code content} and {@code thinking}
   * (strings; content and thinking may be null). One non-blocking Jackson parser reads every line
   * of the stream (a line is one complete object, so the parser is between values after each), and
   * hands string values over still in its buffer. Anything else (the final line, tool calls,
   * logprobs, errors, unknown keys, duplicate keys, a value of another type, malformed JSON) is
   * "not plain": {@link #discard()} is called and the caller reads the line the full way, which
   * also reports what is wrong with it.
   */
  abstract static class PlainChatLine {
    static final int MODEL = 0;
    static final int CREATED_AT = 1;
    static final int REMOTE_MODEL = 2;
    static final int REMOTE_HOST = 3;
    static final int ROLE = 4;
    static final int CONTENT = 5;
    static final int THINKING = 6;

    private JsonParser parser;
    private ByteArrayFeeder feeder;

    /** Whether the last plain line had a message object. */
    boolean hadMessage;

    /** A line starts. */
    abstract void begin();

    /** A string value of {@code field}, the parser on it (read it before returning). */
    abstract void text(int field, JsonParser parser) throws IOException;

    /** The line was not plain: forget what {@link #text} was given for it. */
    abstract void discard();

    /** Whether the line was plain (and its values handed over). */
    final boolean scan(byte[] bytes, int offset, int length) {
      begin();
      try {
        if (parser == null) {
          parser = OllamaJson.MAPPER.getFactory().createNonBlockingByteArrayParser();
          feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }
        feeder.feedInput(bytes, offset, offset + length);
        // exactly one object on the line: the next value, if any, starts on the next line
        if (object() && parser.nextToken() == JsonToken.NOT_AVAILABLE) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // not plain after all: the full read says what it is
      }
      discard();
      parser = null; // stopped mid-line: the next line gets a fresh parser
      return false;
    }

    private boolean object() throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      hadMessage = false;
      int seen = 0;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int field;
        switch (name) {
          case "model" -> field = MODEL;
          case "created_at" -> field = CREATED_AT;
          case "remote_model" -> field = REMOTE_MODEL;
          case "remote_host" -> field = REMOTE_HOST;
          case "done" -> field = 7;
          case "message" -> field = 8;
          default -> {
            return false;
          }
        }
        if ((seen & (1 << field)) != 0) {
          return false; // a repeated key: the record keeps the last, so let it decide
        }
        seen |= 1 << field;
        if (field == 7) {
          if (value != JsonToken.VALUE_FALSE) {
            return false;
          }
        } else if (field == 8) {
          if (value != JsonToken.START_OBJECT || !message()) {
            return false;
          }
          hadMessage = true;
        } else if (value == JsonToken.VALUE_STRING) {
          text(field, parser);
        } else {
          return false;
        }
      }
      return token == JsonToken.END_OBJECT;
    }

    private boolean message() throws IOException {
      int seen = 0;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int field;
        switch (name) {
          case "role" -> field = ROLE;
          case "content" -> field = CONTENT;
          case "thinking" -> field = THINKING;
          default -> {
            return false;
          }
        }
        if ((seen & (1 << field)) != 0) {
          return false;
        }
        seen |= 1 << field;
        if (value == JsonToken.VALUE_STRING) {
          text(field, parser);
        } else if (value != JsonToken.VALUE_NULL || field == ROLE) {
          return false; // another type is coerced by the record's reader: let it
        }
      }
      return token == JsonToken.END_OBJECT;
    }
  }

  /**
   * Plain chat lines as {@link ChatResponse} chunks equal to what data binding gives, without its
   * per-line machinery. Values that repeat on every line (model, role, the cloud host) are kept
   * from the line before when unchanged, so a line costs its two records and its text.
   */
  static final class PlainChatChunks extends PlainChatLine implements PlainLines<ChatResponse> {
    private final String[] values = new String[7];
    private final String[] previous = new String[7];

    @Override
    public ChatResponse read(byte[] bytes, int offset, int length) {
      if (!scan(bytes, offset, length)) {
        return null;
      }
      Message message =
          hadMessage
              ? new Message(
                  values[ROLE], values[CONTENT], values[THINKING], null, null, null, null, null)
              : null;
      return new ChatResponse(
          values[MODEL],
          values[CREATED_AT],
          message,
          Boolean.FALSE,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          values[REMOTE_MODEL],
          values[REMOTE_HOST],
          null,
          null);
    }

    @Override
    void begin() {
      java.util.Arrays.fill(values, null);
    }

    @Override
    void text(int field, JsonParser parser) throws IOException {
      char[] chars = parser.getTextCharacters();
      int start = parser.getTextOffset();
      int length = parser.getTextLength();
      if (field == CONTENT || field == THINKING || field == CREATED_AT) {
        values[field] = new String(chars, start, length); // new on every line
        return;
      }
      String before = previous[field];
      if (before == null || !same(before, chars, start, length)) {
        before = new String(chars, start, length);
        previous[field] = before;
      }
      values[field] = before;
    }

    @Override
    void discard() {
      java.util.Arrays.fill(values, null);
    }

    private static boolean same(String s, char[] chars, int start, int length) {
      if (s.length() != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (s.charAt(i) != chars[start + i]) {
          return false;
        }
      }
      return true;
    }
  }
}
