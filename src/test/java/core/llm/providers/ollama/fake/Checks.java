package core.llm.providers.ollama.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Request validation with the server's own error texts (reference §3, §4, §6). */
final class Checks {
  private static final Set<String> THINK_LEVELS = Set.of("high", "medium", "low", "max");
  private static final List<String> FLOAT_OPTIONS =
      List.of(
          "temperature",
          "top_p",
          "min_p",
          "typical_p",
          "repeat_penalty",
          "presence_penalty",
          "frequency_penalty");
  private static final List<String> INT_OPTIONS =
      List.of(
          "num_ctx",
          "num_batch",
          "num_gpu",
          "num_thread",
          "num_keep",
          "seed",
          "num_predict",
          "top_k",
          "repeat_last_n",
          "draft_num_predict");

  private Checks() {}

  /** A validation failure: HTTP status and error message. */
  record Failure(int status, String message) {}

  static String model(JsonObject body) {
    Object m = body.getValue("model");
    if (m instanceof String s && !s.isEmpty()) {
      return s;
    }
    Object n = body.getValue("name");
    return n instanceof String s ? s : "";
  }

  /**
   * Decode-time checks shared by chat and generate: think, top_logprobs, images, tool arguments.
   */
  static Failure decode(JsonObject body) {
    Object think = body.getValue("think");
    if (think instanceof String s && !THINK_LEVELS.contains(s)) {
      return new Failure(
          400,
          "invalid think value: \""
              + s
              + "\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
    }
    if (think != null && !(think instanceof String) && !(think instanceof Boolean)) {
      return new Failure(400, "think must be a boolean or string (got " + think + ")");
    }
    Failure f = images(body.getValue("images"));
    if (f != null) {
      return f;
    }
    Object msgs = body.getValue("messages");
    if (msgs instanceof JsonArray arr) {
      for (Object o : arr) {
        if (!(o instanceof JsonObject msg)) {
          continue;
        }
        if ((f = images(msg.getValue("images"))) != null) {
          return f;
        }
        if (msg.getValue("tool_calls") instanceof JsonArray calls) {
          for (Object c : calls) {
            if (c instanceof JsonObject call
                && call.getValue("function") instanceof JsonObject fn
                && fn.getValue("arguments") instanceof String) {
              return new Failure(400, "Value looks like object, but can't find closing '}' symbol");
            }
          }
        }
      }
    }
    Object top = body.getValue("top_logprobs");
    if (top instanceof Number n && (n.intValue() < 0 || n.intValue() > 20)) {
      return new Failure(400, "top_logprobs must be between 0 and 20");
    }
    return null;
  }

  private static Failure images(Object images) {
    if (!(images instanceof JsonArray arr)) {
      return null;
    }
    for (Object o : arr) {
      if (o instanceof String s) {
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          boolean ok =
              Character.isLetterOrDigit(c) && c < 128
                  || c == '+'
                  || c == '/'
                  || c == '='
                  || c == '\n'
                  || c == '\r';
          if (!ok) {
            return new Failure(400, "illegal base64 data at input byte " + i);
          }
        }
      }
    }
    return null;
  }

  /** Wrong JSON types of known option keys give 500 (reference §4.5). */
  static Failure options(JsonObject body) {
    if (!(body.getValue("options") instanceof JsonObject opts)) {
      return null;
    }
    Object stop = opts.getValue("stop");
    if (stop != null && !(stop instanceof JsonArray)) {
      return new Failure(500, "option \"stop\" must be of type array");
    }
    for (String k : FLOAT_OPTIONS) {
      Object v = opts.getValue(k);
      if (v != null && !(v instanceof Number)) {
        return new Failure(500, "option \"" + k + "\" must be of type float32");
      }
    }
    for (String k : INT_OPTIONS) {
      Object v = opts.getValue(k);
      if (v != null && !(v instanceof Number)) {
        return new Failure(500, "option \"" + k + "\" must be of type integer");
      }
    }
    return null;
  }

  /** true when think asks for thinking explicitly (true or a level). */
  static boolean thinkRequested(JsonObject body) {
    Object t = body.getValue("think");
    return Boolean.TRUE.equals(t) || t instanceof String;
  }

  static boolean hasTools(JsonObject body) {
    return body.getValue("tools") instanceof JsonArray a && !a.isEmpty();
  }
}
