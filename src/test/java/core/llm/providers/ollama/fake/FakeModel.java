package core.llm.providers.ollama.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An installed (or pullable) model of the fake server: a fluent, mutable description of how the
 * model answers. Everything derived (digest, layers, sizes) is deterministic from the name.
 *
 * <pre>{@code
 * FakeModel.named("qwen3:8b").capabilities("completion", "tools", "thinking")
 *     .reply("Hello there!").thinking("Let me think")
 *     .toolCall("get_weather", new JsonObject().put("city", "Paris")).toolCallsOnFinal(false)
 *     .tokenDelayMs(5).loadDelayMs(200);
 * }</pre>
 */
public final class FakeModel {
  final String name;
  final Set<String> capabilities = new LinkedHashSet<>(List.of("completion"));
  String reply = "Hello there!";
  String thinking = "Let me think about it.";
  final JsonArray toolCalls = new JsonArray();
  boolean toolCallsOnFinal = true;
  boolean lastTokenOnFinal;
  String doneReason = "stop";
  long tokenDelayMs;
  long loadDelayMs;
  int embeddingLength = 16;
  int contextLength = 4096;
  long size = 2_019_393_189L;
  String family = "llama";
  String parameterSize = "3.2B";
  String quantization = "Q4_K_M";
  String weights = "";
  String template = "{{ .Prompt }}";
  String system;
  String license = "FAKE LICENSE";
  JsonObject modelInfo;
  Instant modifiedAt;
  int errorAfterTokens = -1;
  String errorMessage;

  private FakeModel(String name) {
    this.name = ModelNames.normalise(name);
  }

  /** A model named {@code name}; a missing tag becomes {@code :latest}. */
  public static FakeModel named(String name) {
    return new FakeModel(name);
  }

  /** An embedding-only model ({@code capabilities: ["embedding"]}). */
  public static FakeModel embedding(String name) {
    return new FakeModel(name).capabilities("embedding").family("bert");
  }

  /**
   * Replaces the capability set (values from §8: completion, tools, insert, vision, embedding,
   * thinking, ...).
   */
  public FakeModel capabilities(String... caps) {
    capabilities.clear();
    capabilities.addAll(Arrays.asList(caps));
    return this;
  }

  /** The answer text; streamed one token per space-separated word (spaces kept). */
  public FakeModel reply(String text) {
    this.reply = text;
    return this;
  }

  /** Thinking text streamed before the reply (only for models with the "thinking" capability). */
  public FakeModel thinking(String text) {
    this.thinking = text;
    return this;
  }

  /** Adds a tool call emitted when the request carries tools (needs capability "tools"). */
  public FakeModel toolCall(String function, JsonObject arguments) {
    int index = toolCalls.size();
    toolCalls.add(
        new JsonObject()
            .put("id", "call_" + hex(name + function + index).substring(0, 8))
            .put(
                "function",
                new JsonObject()
                    .put("index", index)
                    .put("name", function)
                    .put("arguments", arguments)));
    return this;
  }

  /**
   * true (default): tool calls only on the done:true chunk (native path); false: an intermediate
   * chunk.
   */
  public FakeModel toolCallsOnFinal(boolean onFinal) {
    this.toolCallsOnFinal = onFinal;
    return this;
  }

  /** When true the last token travels on the done:true chunk instead of an own chunk. */
  public FakeModel lastTokenOnFinal(boolean b) {
    this.lastTokenOnFinal = b;
    return this;
  }

  /** done_reason of the final chunk ("stop" by default, e.g. "length"). */
  public FakeModel doneReason(String reason) {
    this.doneReason = reason;
    return this;
  }

  /** Delay before each streamed chunk (real timer). */
  public FakeModel tokenDelayMs(long ms) {
    this.tokenDelayMs = ms;
    return this;
  }

  /** Cold-load time: headers are withheld this long when the model is not loaded (real timer). */
  public FakeModel loadDelayMs(long ms) {
    this.loadDelayMs = ms;
    return this;
  }

  /**
   * After {@code tokens} content chunks, write {@code {"error":message}} and close (status stays
   * 200).
   */
  public FakeModel errorAfter(int tokens, String message) {
    this.errorAfterTokens = tokens;
    this.errorMessage = message;
    return this;
  }

  public FakeModel embeddingLength(int n) {
    this.embeddingLength = n;
    return this;
  }

  public FakeModel contextLength(int n) {
    this.contextLength = n;
    return this;
  }

  public FakeModel size(long bytes) {
    this.size = bytes;
    return this;
  }

  public FakeModel family(String f) {
    this.family = f;
    return this;
  }

  public FakeModel parameterSize(String s) {
    this.parameterSize = s;
    return this;
  }

  public FakeModel quantization(String q) {
    this.quantization = q;
    return this;
  }

  public FakeModel template(String t) {
    this.template = t;
    return this;
  }

  public FakeModel system(String s) {
    this.system = s;
    return this;
  }

  /** Overrides the generated {@code model_info} of /api/show. */
  public FakeModel modelInfo(JsonObject info) {
    this.modelInfo = info;
    return this;
  }

  public FakeModel modifiedAt(Instant t) {
    this.modifiedAt = t;
    return this;
  }

  public String name() {
    return name;
  }

  public Set<String> capabilityNames() {
    return Set.copyOf(capabilities);
  }

  public boolean has(String capability) {
    return capabilities.contains(capability);
  }

  /** Bare 64-hex manifest digest (as in /api/tags and /api/ps). */
  public String digest() {
    return hex("manifest:" + name + weights);
  }

  /** Other weights under the same name (another quantization or version): another digest. */
  public FakeModel weights(String variant) {
    this.weights = variant;
    return this;
  }

  /** The layers as {@code sha256:<hex>} digest and size pairs: model weights, template, params. */
  public List<Layer> layers() {
    List<Layer> out = new ArrayList<>();
    out.add(new Layer("sha256:" + hex("model:" + name), size - 1_500));
    out.add(new Layer("sha256:" + hex("template:" + name), 1_429));
    out.add(new Layer("sha256:" + hex("params:" + name), 71));
    return out;
  }

  /** A copy under another name (used by /api/copy and /api/create). */
  FakeModel copyAs(String newName) {
    FakeModel m = new FakeModel(newName);
    m.capabilities.clear();
    m.capabilities.addAll(capabilities);
    m.reply = reply;
    m.thinking = thinking;
    m.toolCalls.addAll(toolCalls.copy());
    m.toolCallsOnFinal = toolCallsOnFinal;
    m.lastTokenOnFinal = lastTokenOnFinal;
    m.doneReason = doneReason;
    m.tokenDelayMs = tokenDelayMs;
    m.loadDelayMs = loadDelayMs;
    m.weights = weights;
    m.embeddingLength = embeddingLength;
    m.contextLength = contextLength;
    m.size = size;
    m.family = family;
    m.parameterSize = parameterSize;
    m.quantization = quantization;
    m.template = template;
    m.system = system;
    m.license = license;
    m.modelInfo = modelInfo == null ? null : modelInfo.copy();
    return m;
  }

  JsonObject details() {
    return new JsonObject()
        .put("parent_model", "")
        .put("format", "gguf")
        .put("family", family)
        .put("families", new JsonArray().add(family))
        .put("parameter_size", parameterSize)
        .put("quantization_level", quantization);
  }

  /** One layer of the model. */
  public record Layer(String digest, long size) {}

  static String hex(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
