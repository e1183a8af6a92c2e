package core.llm.observability;

import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderStatus;
import core.llm.providers.config.LlmConfig;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The monitoring document: available providers and the current default, their breaker and health,
 * the model mapping and aliases, loaded models, usage and cost totals. Only names, states, counts
 * and times: never a URL, a key or an option value. Served by {@link MonitoringHandler} (Vert.x
 * Web) or {@link MonitoringHttpHandler} (plain Vert.x core).
 *
 * <pre>{@code
 * {"defaultProvider":"ollama",
 *  "providers":[{"name":"ollama","type":"ollama","weight":1,"created":true,"breaker":"CLOSED",
 *                "consecutiveFailures":0,"health":{"state":"UP","lastErrorKind":null,...}}],
 *  "modelMapping":{"gpt-4o":"openai"}, "aliases":{"fast":"llama3.2"},
 *  "loadedModels":{"http://127.0.0.1:11434":["llama3.2:latest"]},
 *  "usage":[{"provider":"ollama","model":"llama3.2","requests":3,"errors":0,"promptTokens":30,
 *            "completionTokens":90,"cost":null}],
 *  "totals":{"requests":3,...,"cost":null}, "currency":"USD"}
 * }</pre>
 */
public final class MonitoringReport {
  private final LlmProviderFactory factory;
  private final ProviderConfigManager configs;
  private final Observability obs;

  public MonitoringReport(
      LlmProviderFactory factory, ProviderConfigManager configs, Observability obs) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.configs = Objects.requireNonNull(configs, "configs");
    this.obs = Objects.requireNonNull(obs, "obs");
  }

  /** The document now. */
  public JsonObject toJson() {
    LlmConfig c = configs.snapshot();
    JsonArray providers = new JsonArray();
    for (ProviderStatus s : factory.availableProviders()) {
      JsonObject p =
          new JsonObject()
              .put("name", s.name())
              .put("type", s.type())
              .put("weight", s.weight())
              .put("created", s.created())
              .put("breaker", s.breaker().name())
              .put("consecutiveFailures", s.consecutiveFailures());
      if (s.lastErrorKind() != null) {
        p.put("lastErrorKind", s.lastErrorKind().name())
            .put("lastErrorStatus", s.lastErrorStatus())
            .put("lastErrorAt", String.valueOf(s.lastErrorAt()));
      }
      p.put(
          "health",
          obs.health()
              .health(s.name())
              .map(MonitoringReport::health)
              .orElse(new JsonObject().put("state", ProviderHealth.State.UNKNOWN.name())));
      providers.add(p);
    }
    JsonObject loaded = new JsonObject();
    obs.loadedModels()
        .snapshot()
        .forEach((host, models) -> loaded.put(host, new JsonArray(models)));
    JsonArray usage = new JsonArray();
    obs.usage().snapshot().forEach(t -> usage.add(totals(t)));
    JsonObject out =
        new JsonObject()
            .put("defaultProvider", c.defaultProvider())
            .put("providers", providers)
            .put("modelMapping", new JsonObject(new java.util.LinkedHashMap<>(c.modelMapping())))
            .put("aliases", new JsonObject(new java.util.LinkedHashMap<>(c.aliases())))
            .put("fallback", new JsonArray(c.fallback()))
            .put("loadedModels", loaded)
            .put("usage", usage)
            .put(
                "totals",
                totals(obs.usage().grandTotal()).put("provider", null).put("model", null));
    if (obs.prices().currency() != null) {
      out.put("currency", obs.prices().currency());
    }
    return out;
  }

  private static JsonObject health(ProviderHealth h) {
    return new JsonObject()
        .put("state", h.state().name())
        .put("lastErrorKind", h.lastErrorKind() == null ? null : h.lastErrorKind().name())
        .put("lastErrorAt", h.lastErrorAt() == null ? null : h.lastErrorAt().toString())
        .put("lastSuccessAt", h.lastSuccessAt() == null ? null : h.lastSuccessAt().toString())
        .put("lastProbeAt", h.lastProbeAt() == null ? null : h.lastProbeAt().toString())
        .put("lastProbeLatencyMs", h.lastProbeLatencyMs());
  }

  private static JsonObject totals(UsageTotals t) {
    return new JsonObject()
        .put("provider", t.provider())
        .put("model", t.model())
        .put("requests", t.requests())
        .put("errors", t.errors())
        .put("promptTokens", t.promptTokens())
        .put("completionTokens", t.completionTokens())
        .put("cost", t.cost());
  }
}
