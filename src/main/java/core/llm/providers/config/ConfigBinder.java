package core.llm.providers.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tree → records, collecting every structural problem (unknown key, wrong type, bad duration)
 * instead of stopping at the first. Semantic checks are {@link ConfigValidator}'s.
 */
final class ConfigBinder {
  static final List<String> TOP_KEYS =
      List.of(
          "defaultProvider",
          "providers",
          "modelMapping",
          "aliases",
          "fallback",
          "routing",
          "reload",
          "gateway");
  static final List<String> PROVIDER_KEYS =
      List.of(
          "name",
          "type",
          "baseUrl",
          "apiKeyEnv",
          "timeouts",
          "maxRetries",
          "weight",
          "enabled",
          "models",
          "options",
          "http",
          "overflow");
  static final List<String> HTTP_KEYS =
      List.of(
          "maxPoolSize",
          "http2MaxPoolSize",
          "http2",
          "h2cPriorKnowledge",
          "headers",
          "headersEnv",
          "proxy",
          "tls");
  static final List<String> PROXY_KEYS = List.of("host", "port", "type", "username", "passwordEnv");
  static final List<String> TLS_KEYS =
      List.of(
          "trustStore",
          "trustStoreType",
          "trustStorePasswordEnv",
          "certificate",
          "key",
          "trustAll");
  static final List<String> TIMEOUT_KEYS = List.of("connect", "firstByte", "idle", "total");
  static final List<String> ROUTING_KEYS =
      List.of(
          "maxAttempts",
          "initialBackoff",
          "maxBackoff",
          "breakerFailureThreshold",
          "breakerCooldown",
          "contextFit",
          "contextWindowFallbacks",
          "sharedLoads");
  static final List<String> RELOAD_KEYS = List.of("watch", "pollInterval");
  static final List<String> GATEWAY_KEYS =
      List.of(
          "host",
          "port",
          "keys",
          "allowRemoteWithoutKeys",
          "shutdownGrace",
          "maxRequestBytes",
          "prices",
          "cluster");
  static final List<String> CLUSTER_KEYS = List.of("enabled", "name", "host", "port", "members");
  static final List<String> PRICE_KEYS =
      List.of("provider", "model", "inputPerMillion", "outputPerMillion");
  static final List<String> KEY_KEYS =
      List.of("name", "sha256", "models", "requestsPerMinute", "tokensPerMinute", "budget");

  private final ObjectMapper mapper;
  private final List<ConfigProblem> problems;

  ConfigBinder(ObjectMapper mapper, List<ConfigProblem> problems) {
    this.mapper = mapper;
    this.problems = problems;
  }

  LlmConfig bind(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new LlmConfig(null, null, null, null, null, null, null);
    }
    if (!root.isObject()) {
      problems.add(ConfigProblem.error("(file)", "expected a mapping at the top level"));
      return null;
    }
    checkKeys(root, "", TOP_KEYS);
    List<ProviderConfig> providers = new ArrayList<>();
    JsonNode ps = root.get("providers");
    if (ps != null && !ps.isNull()) {
      if (!ps.isArray()) {
        problems.add(ConfigProblem.error("providers", "expected a list of providers"));
      } else {
        for (int i = 0; i < ps.size(); i++) {
          ProviderConfig p = provider(ps.get(i), "providers[" + i + "]");
          if (p != null) {
            providers.add(p);
          }
        }
      }
    }
    return new LlmConfig(
        string(root, "", "defaultProvider"),
        providers,
        stringMap(root, "modelMapping"),
        stringMap(root, "aliases"),
        stringList(root, "", "fallback"),
        routing(root.get("routing")),
        reload(root.get("reload")),
        gateway(root.get("gateway")));
  }

  private ProviderConfig provider(JsonNode n, String path) {
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping"));
      return null;
    }
    checkKeys(n, path, PROVIDER_KEYS);
    Integer weight = integer(n, path, "weight");
    Boolean enabled = bool(n, path, "enabled");
    return new ProviderConfig(
        string(n, path, "name"),
        string(n, path, "type"),
        string(n, path, "baseUrl"),
        string(n, path, "apiKeyEnv"),
        timeouts(n.get("timeouts"), path + ".timeouts"),
        integer(n, path, "maxRetries"),
        weight == null ? ProviderConfig.DEFAULT_WEIGHT : weight,
        enabled == null || enabled,
        stringList(n, path, "models"),
        options(n.get("options"), path + ".options"),
        http(n.get("http"), path + ".http"),
        Boolean.TRUE.equals(bool(n, path, "overflow")));
  }

  private HttpConfig http(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping of " + HTTP_KEYS));
      return null;
    }
    checkKeys(n, path, HTTP_KEYS);
    return new HttpConfig(
        count(n, path, "maxPoolSize"),
        count(n, path, "http2MaxPoolSize"),
        bool(n, path, "http2"),
        bool(n, path, "h2cPriorKnowledge"),
        stringMap(n, path, "headers"),
        stringMap(n, path, "headersEnv"),
        proxy(n.get("proxy"), at(path, "proxy")),
        tls(n.get("tls"), at(path, "tls")));
  }

  private HttpConfig.Proxy proxy(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping of " + PROXY_KEYS));
      return null;
    }
    checkKeys(n, path, PROXY_KEYS);
    return new HttpConfig.Proxy(
        string(n, path, "host"),
        integer(n, path, "port"),
        string(n, path, "type"),
        string(n, path, "username"),
        string(n, path, "passwordEnv"));
  }

  private HttpConfig.Tls tls(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping of " + TLS_KEYS));
      return null;
    }
    checkKeys(n, path, TLS_KEYS);
    return new HttpConfig.Tls(
        string(n, path, "trustStore"),
        string(n, path, "trustStoreType"),
        string(n, path, "trustStorePasswordEnv"),
        string(n, path, "certificate"),
        string(n, path, "key"),
        bool(n, path, "trustAll"));
  }

  /** A whole number >= 1, or null (absent, or reported). */
  private Integer count(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    Integer v = null;
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      v = n.intValue();
    } else if (n.isTextual() && n.asText().strip().matches("-?\\d{1,9}")) {
      v = Integer.parseInt(n.asText().strip());
    }
    if (v == null || v < 1) {
      problems.add(ConfigProblem.error(at(path, key), "must be a whole number >= 1"));
      return null;
    }
    return v;
  }

  private TimeoutConfig timeouts(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(
          ConfigProblem.error(path, "expected a mapping of connect, firstByte, idle, total"));
      return null;
    }
    checkKeys(n, path, TIMEOUT_KEYS);
    return new TimeoutConfig(
        duration(n, path, "connect"), duration(n, path, "firstByte"),
        duration(n, path, "idle"), duration(n, path, "total"));
  }

  private RoutingConfig routing(JsonNode n) {
    if (n == null || n.isNull()) {
      return RoutingConfig.DEFAULTS;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error("routing", "expected a mapping"));
      return RoutingConfig.DEFAULTS;
    }
    checkKeys(n, "routing", ROUTING_KEYS);
    Integer attempts = integer(n, "routing", "maxAttempts");
    Integer threshold = integer(n, "routing", "breakerFailureThreshold");
    return new RoutingConfig(
        attempts == null ? RoutingConfig.DEFAULT_MAX_ATTEMPTS : attempts,
        duration(n, "routing", "initialBackoff"),
        duration(n, "routing", "maxBackoff"),
        threshold == null ? RoutingConfig.DEFAULT_BREAKER_FAILURE_THRESHOLD : threshold,
        duration(n, "routing", "breakerCooldown"),
        contextFit(n.get("contextFit")),
        listMap(n, "routing", "contextWindowFallbacks"),
        bool(n, "routing", "sharedLoads"));
  }

  private ContextFit contextFit(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    ContextFit fit = n.isTextual() ? ContextFit.parse(n.asText()) : null;
    if (fit == null) {
      problems.add(
          ConfigProblem.error(
              "routing.contextFit",
              "unknown value '"
                  + (n.isValueNode() ? n.asText() : n.getNodeType().name().toLowerCase(Locale.ROOT))
                  + "'. Allowed: off, fail, raise, fallback"));
    }
    return fit;
  }

  /** A mapping of name → list of strings (a single string is a list of one). */
  private Map<String, List<String>> listMap(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    String p = at(path, key);
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(p, "expected a mapping of model → list of models"));
      return null;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      List<String> v = stringList(n, p, k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  private ReloadConfig reload(JsonNode n) {
    if (n == null || n.isNull()) {
      return ReloadConfig.DEFAULTS;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error("reload", "expected a mapping"));
      return ReloadConfig.DEFAULTS;
    }
    checkKeys(n, "reload", RELOAD_KEYS);
    Boolean watch = bool(n, "reload", "watch");
    return new ReloadConfig(watch == null || watch, duration(n, "reload", "pollInterval"));
  }

  private GatewayConfig gateway(JsonNode n) {
    if (n == null || n.isNull()) {
      return GatewayConfig.DEFAULTS;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error("gateway", "expected a mapping"));
      return GatewayConfig.DEFAULTS;
    }
    checkKeys(n, "gateway", GATEWAY_KEYS);
    List<GatewayConfig.Key> keys = new ArrayList<>();
    JsonNode ks = n.get("keys");
    if (ks != null && !ks.isNull()) {
      if (!ks.isArray()) {
        problems.add(ConfigProblem.error("gateway.keys", "expected a list of keys"));
      } else {
        for (int i = 0; i < ks.size(); i++) {
          String path = "gateway.keys[" + i + "]";
          JsonNode k = ks.get(i);
          if (!k.isObject()) {
            problems.add(ConfigProblem.error(path, "expected a mapping"));
            continue;
          }
          checkKeys(k, path, KEY_KEYS);
          keys.add(
              new GatewayConfig.Key(
                  string(k, path, "name"),
                  string(k, path, "sha256"),
                  stringList(k, path, "models"),
                  integer(k, path, "requestsPerMinute"),
                  integer(k, path, "tokensPerMinute"),
                  number(k, path, "budget")));
        }
      }
    }
    List<GatewayConfig.Price> prices = new ArrayList<>();
    JsonNode ps = n.get("prices");
    if (ps != null && !ps.isNull()) {
      if (!ps.isArray()) {
        problems.add(ConfigProblem.error("gateway.prices", "expected a list of prices"));
      } else {
        for (int i = 0; i < ps.size(); i++) {
          String path = "gateway.prices[" + i + "]";
          JsonNode p = ps.get(i);
          if (!p.isObject()) {
            problems.add(ConfigProblem.error(path, "expected a mapping"));
            continue;
          }
          checkKeys(p, path, PRICE_KEYS);
          String model = string(p, path, "model");
          Double in = number(p, path, "inputPerMillion");
          Double out = number(p, path, "outputPerMillion");
          if (model == null) {
            problems.add(ConfigProblem.error(path + ".model", "a price needs the model it prices"));
          } else if ((in != null && in < 0) || (out != null && out < 0)) {
            problems.add(ConfigProblem.error(path, "a price cannot be negative"));
          } else {
            prices.add(
                new GatewayConfig.Price(
                    string(p, path, "provider"),
                    model,
                    in == null ? 0 : in,
                    out == null ? 0 : out));
          }
        }
      }
    }
    Boolean remote = bool(n, "gateway", "allowRemoteWithoutKeys");
    Integer maxBytes = integer(n, "gateway", "maxRequestBytes");
    return new GatewayConfig(
        string(n, "gateway", "host"),
        integer(n, "gateway", "port"),
        keys,
        remote != null && remote,
        duration(n, "gateway", "shutdownGrace"),
        maxBytes == null ? null : maxBytes.longValue(),
        prices,
        cluster(n.get("cluster")));
  }

  private GatewayConfig.Cluster cluster(JsonNode n) {
    if (n == null || n.isNull()) {
      return GatewayConfig.Cluster.OFF;
    }
    String path = "gateway.cluster";
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping"));
      return GatewayConfig.Cluster.OFF;
    }
    checkKeys(n, path, CLUSTER_KEYS);
    Boolean enabled = bool(n, path, "enabled");
    Integer port = integer(n, path, "port");
    if (port != null && (port < 1 || port > 65535)) {
      problems.add(ConfigProblem.error(path + ".port", "a port is between 1 and 65535"));
      port = null;
    }
    return new GatewayConfig.Cluster(
        enabled == null || enabled,
        string(n, path, "name"),
        string(n, path, "host"),
        port,
        stringList(n, path, "members"));
  }

  private Double number(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      try {
        return Double.valueOf(n.asText().strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(ConfigProblem.error(at(path, key), "expected a number"));
    return null;
  }

  private Map<String, Object> options(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(path, "expected a mapping"));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = mapper.convertValue(n, LinkedHashMap.class);
    return m;
  }

  // ---- scalar helpers: each reports under parent.key and returns null when absent or wrong ----

  private static String at(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  private String string(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isValueNode()) {
      problems.add(ConfigProblem.error(at(path, key), "expected a string"));
      return null;
    }
    return n.asText();
  }

  private Integer integer(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return n.intValue();
    }
    if (n.isTextual() && n.asText().strip().matches("-?\\d{1,9}")) {
      return Integer.parseInt(n.asText().strip());
    }
    problems.add(ConfigProblem.error(at(path, key), "expected an integer"));
    return null;
  }

  private Boolean bool(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()) {
      String s = n.asText().strip().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
    }
    problems.add(ConfigProblem.error(at(path, key), "expected true or false"));
    return null;
  }

  private Duration duration(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber() && n.asDouble() == 0) {
      return Duration.ZERO;
    }
    if (!n.isTextual()) {
      problems.add(
          ConfigProblem.error(
              at(path, key),
              "bad duration '"
                  + (n.isValueNode() ? n.asText() : n.getNodeType().name().toLowerCase(Locale.ROOT))
                  + "' (add a unit: e.g. 500ms, 30s, 10m, or ISO-8601 PT30S)"));
      return null;
    }
    try {
      return Durations.parse(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add(ConfigProblem.error(at(path, key), e.getMessage()));
      return null;
    }
  }

  private List<String> stringList(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    String p = at(path, key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isValueNode()) {
      return List.of(n.asText());
    }
    if (!n.isArray()) {
      problems.add(ConfigProblem.error(p, "expected a list of strings"));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (e.isValueNode() && !e.isNull()) {
        out.add(e.asText());
      } else {
        problems.add(ConfigProblem.error(p + "[" + i + "]", "expected a string"));
      }
    }
    return out;
  }

  private Map<String, String> stringMap(JsonNode parent, String key) {
    return stringMap(parent, "", key);
  }

  private Map<String, String> stringMap(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    key = at(path, key);
    if (!n.isObject()) {
      problems.add(ConfigProblem.error(key, "expected a mapping of strings"));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        problems.add(ConfigProblem.error(mapPath(key, e.getKey()), "expected a string"));
      }
    }
    return out;
  }

  static String mapPath(String map, String key) {
    return map + "[\"" + key + "\"]";
  }

  private void checkKeys(JsonNode n, String path, List<String> allowed) {
    Set<String> known = Set.copyOf(allowed);
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!known.contains(k)) {
        String hint = suggest(k, allowed);
        problems.add(
            ConfigProblem.error(
                at(path, k),
                "unknown key"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                    + ". Allowed: "
                    + allowed));
      }
    }
  }

  private static String suggest(String key, List<String> allowed) {
    String best = null;
    int bestD = 3;
    for (String a : allowed) {
      int d =
          distance(
              key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""),
              a.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
