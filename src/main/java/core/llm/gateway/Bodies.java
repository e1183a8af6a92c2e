package core.llm.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.BadRequestException;
import core.llm.common.ErrorContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Request bodies in, response bodies out, for every front end. A small body is parsed on the event
 * loop; a large one (images travel as base64) on a worker thread, so a 30 MiB request never stalls
 * the streams sharing its event loop.
 */
final class Bodies {
  /** Bodies up to this size are parsed in place: well under a millisecond. */
  static final int INLINE_PARSE_BYTES = 64 * 1024;

  /** Plain Jackson: the wire records carry their own names and inclusion rules. */
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Bodies() {}

  /** The body as {@code type}; fails with {@link BadRequestException} when it is not that JSON. */
  static <T> Future<T> read(RoutingContext rc, Class<T> type) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) {
      return Future.failedFuture(
          new BadRequestException(
              "the request has no body; send a JSON object", ErrorContext.NONE));
    }
    if (body.length() <= INLINE_PARSE_BYTES) {
      try {
        return Future.succeededFuture(decode(body, type));
      } catch (BadRequestException e) {
        return Future.failedFuture(e);
      }
    }
    return rc.vertx().executeBlocking(() -> decode(body, type), false);
  }

  /** The body as a JSON tree, for front ends that look at fields before choosing a type. */
  static Future<JsonNode> readTree(RoutingContext rc) {
    return read(rc, JsonNode.class);
  }

  private static <T> T decode(Buffer body, Class<T> type) {
    try {
      T value = JSON.readValue(body.getBytes(), type);
      if (value == null) {
        throw new BadRequestException(
            "the request body is null; send a JSON object", ErrorContext.NONE);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          "the request body is not valid JSON: " + e.getOriginalMessage(), ErrorContext.NONE, e);
    } catch (IOException e) {
      throw new BadRequestException("the request body could not be read", ErrorContext.NONE, e);
    }
  }

  /** {@code value} as JSON bytes. */
  static Buffer json(Object value) {
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response could not be written as JSON", e);
    }
  }

  /** {@code value} as one NDJSON line (JSON, then a newline). */
  static Buffer line(Object value) {
    return json(value).appendByte((byte) '\n');
  }
}
