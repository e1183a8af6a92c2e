package core.llm.providers.ollama.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builders of typical wire objects for scripts (each returns the encoded JSON, no newline). The
 * model defaults to {@link #DEFAULT_MODEL}; {@code created_at} is a fixed UTC timestamp.
 */
public final class Chunks {
  public static final String DEFAULT_MODEL = "llama3.2:latest";
  public static final String CREATED_AT = "2026-03-14T15:09:26.535897932Z";

  private Chunks() {}

  /** Typical final metrics (integer nanoseconds; counts). */
  public static JsonObject metrics() {
    return new JsonObject()
        .put("total_duration", 123_456_789L)
        .put("load_duration", 4_567_890L)
        .put("prompt_eval_count", 12)
        .put("prompt_eval_duration", 5_678_901L)
        .put("eval_count", 3)
        .put("eval_duration", 6_789_012L);
  }

  public static String chatChunk(String content) {
    return chatChunk(DEFAULT_MODEL, content);
  }

  public static String chatChunk(String model, String content) {
    return chatObject(model, content, null, false).encode();
  }

  public static String chatThinkingChunk(String thinking) {
    return chatObject(DEFAULT_MODEL, "", thinking, false).encode();
  }

  public static String chatFinal(String content, String doneReason, JsonObject metrics) {
    return chatFinal(DEFAULT_MODEL, content, doneReason, metrics);
  }

  public static String chatFinal(
      String model, String content, String doneReason, JsonObject metrics) {
    JsonObject o = chatObject(model, content, null, true).put("done_reason", doneReason);
    return (metrics == null ? o : o.mergeIn(metrics)).encode();
  }

  /** A done:true chat chunk with tool calls (the native path). */
  public static String chatFinalWithTools(String model, JsonArray toolCalls) {
    JsonObject o = chatObject(model, "", null, true).put("done_reason", "stop").mergeIn(metrics());
    o.getJsonObject("message").put("tool_calls", toolCalls);
    return o.encode();
  }

  public static String generateChunk(String response) {
    return generateChunk(DEFAULT_MODEL, response);
  }

  public static String generateChunk(String model, String response) {
    return generateObject(model, response, false).encode();
  }

  public static String generateFinal(String response, String doneReason, JsonObject metrics) {
    return generateFinal(DEFAULT_MODEL, response, doneReason, metrics);
  }

  public static String generateFinal(
      String model, String response, String doneReason, JsonObject metrics) {
    JsonObject o = generateObject(model, response, true).put("done_reason", doneReason);
    if (metrics != null) {
      o.mergeIn(metrics);
    }
    return o.put("context", new JsonArray().add(1).add(2).add(3)).encode();
  }

  /** {@code {"error": message}} (a mid-stream error line). */
  public static String errorLine(String message) {
    return new JsonObject().put("error", message).encode();
  }

  /** A progress object; digest/total/completed are omitted when null (omitempty). */
  public static String progress(String status, String digest, Long total, Long completed) {
    JsonObject o = new JsonObject().put("status", status);
    if (digest != null) {
      o.put("digest", digest);
    }
    if (total != null && total != 0) {
      o.put("total", total);
    }
    if (completed != null && completed != 0) {
      o.put("completed", completed);
    }
    return o.encode();
  }

  public static String progress(String status) {
    return progress(status, null, null, null);
  }

  static JsonObject chatObject(String model, String content, String thinking, boolean done) {
    JsonObject msg = new JsonObject().put("role", "assistant").put("content", content);
    if (thinking != null && !thinking.isEmpty()) {
      msg.put("thinking", thinking);
    }
    return new JsonObject()
        .put("model", model)
        .put("created_at", CREATED_AT)
        .put("message", msg)
        .put("done", done);
  }

  static JsonObject generateObject(String model, String response, boolean done) {
    return new JsonObject()
        .put("model", model)
        .put("created_at", CREATED_AT)
        .put("response", response)
        .put("done", done);
  }
}
