package core.llm.providers.ollama;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One state change of a model on a host, as given to {@link ModelTracker#addListener listeners} and
 * published on the Vert.x event bus at {@link #ADDRESS} (configurable in {@link LifecycleOptions})
 * with the JSON body of {@link #toJson()}: {@code {host, model, from, to, at, reason}}.
 *
 * @param host the base URL of the Ollama server
 * @param model the model name, normalised ({@code llama3.2:latest})
 * @param from the previous state
 * @param to the new state
 * @param at when the change was recorded (the lifecycle clock)
 * @param reason why, in words (for example {@code "load requested"}, {@code "idle policy"}, or the
 *     error message of a failure); may be null
 */
public record ModelEvent(
    String host, String model, ModelState from, ModelState to, Instant at, String reason) {

  /** Default event-bus address; every change of every model goes there, in order. */
  public static final String ADDRESS = "core.llm.models";

  /** The event-bus body: states as their enum names, {@code at} as ISO-8601. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("host", host)
            .put("model", model)
            .put("from", from.name())
            .put("to", to.name())
            .put("at", at.toString());
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  /** Reads an event back from its event-bus body. */
  public static ModelEvent fromJson(JsonObject json) {
    return new ModelEvent(
        json.getString("host"),
        json.getString("model"),
        ModelState.valueOf(json.getString("from")),
        ModelState.valueOf(json.getString("to")),
        Instant.parse(json.getString("at")),
        json.getString("reason"));
  }
}
