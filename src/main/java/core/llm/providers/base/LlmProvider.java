package core.llm.providers.base;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.Capability;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * One LLM backend behind a provider-neutral interface. Implementations: Ollama, any
 * OpenAI-compatible server, Anthropic, and a scriptable mock. Every failure is a typed {@link
 * core.llm.common.LlmException} from the shared taxonomy, so routing can decide without knowing the
 * provider. Implementations never retry: the router does.
 */
public interface LlmProvider {

  /** The configured name (unique within a factory). */
  String name();

  /** The provider type: {@code ollama}, {@code openai}, {@code anthropic}, {@code mock}... */
  String type();

  Set<Capability> capabilities();

  /** A complete reply. */
  Future<CompletionResult> chat(CompletionRequest request);

  /** A streamed reply: deltas with back-pressure, cancellable, with the complete result. */
  ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request);

  /**
   * {@link #chatStream} for a caller that relays the reply to a client of another API or of the
   * same one (the gateway): when this provider's server writes {@code format}, the pieces are the
   * server's own bytes ({@link StreamPiece.Wire}, not decoded into records, so relaying costs no
   * parse or encode per token); otherwise they are neutral deltas ({@link StreamPiece.Delta}). The
   * result is the same either way for usage, finish reason and provider; for a byte stream its
   * content is empty (the bytes carry the answer). Back-pressure, cancellation and the end-marker
   * check are those of {@link #chatStream}. The default hands over {@link #chatStream}'s deltas.
   */
  default ResponseStream<StreamPiece, CompletionResult> relayStream(
      CompletionRequest request, WireFormat format) {
    return StreamPiece.deltas(chatStream(request));
  }

  /**
   * Structured output as a typed value: the schema is derived from {@code type} (a record, or any
   * class Jackson can read); a reply that does not parse into it fails with an {@link
   * core.llm.common.InvalidResponseException} quoting the reply, never a null.
   */
  default <T> Future<T> generateJson(CompletionRequest request, Class<T> type) {
    return StructuredOutput.generate(this, request, type);
  }

  /** Structured output against a JSON Schema, returned as a JSON tree. */
  default Future<JsonNode> generateJson(CompletionRequest request, JsonNode schema) {
    return StructuredOutput.generate(this, request, schema);
  }

  Future<EmbeddingResult> embed(EmbeddingRequest request);

  Future<List<ModelInfo>> listModels();

  /** A cheap request that tells whether the provider answers (Ollama: version; OpenAI: models). */
  Future<HealthStatus> health();

  /** Load/unload control when the provider manages models itself (Ollama); empty otherwise. */
  default java.util.Optional<ModelControl> modelControl() {
    return java.util.Optional.empty();
  }

  /**
   * Starts the provider's background work, if it has any (Ollama: the warm list and the residency
   * policies of its lifecycle). A started {@code LlmProviderFactory} calls it once after creating
   * the provider; {@link #close()} ends that work. Completes when the start-up work is done (for
   * Ollama, when the warm loads finished); failing does not make the provider unusable.
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Releases connections and stops background work; requests in flight fail or finish as the
   * transport allows.
   */
  Future<Void> close();

  /**
   * What this provider knows, without any I/O, about where {@code model} stands on its server; the
   * router ranks equal candidates by it. {@link Residency#UNKNOWN} unless the provider tracks its
   * server (Ollama does, from {@code /api/ps} and the requests it served).
   */
  default Residency residency(String model) {
    return Residency.UNKNOWN;
  }

  /**
   * The context length the loaded copy of {@code model} runs with on this provider's server, when
   * known without I/O. A request asking another {@code num_ctx} makes Ollama reload the model, so
   * the router prefers a host whose copy already matches.
   */
  default java.util.OptionalInt loadedContextLength(String model) {
    return java.util.OptionalInt.empty();
  }

  /**
   * The digest of the model's weights on this provider's server, when it has one ({@code /api/tags}
   * for Ollama): two hosts give vectors of the same space only when their digests match. Empty when
   * the provider cannot say (hosted APIs: the model name is the contract).
   */
  default Future<java.util.Optional<String>> modelDigest(String model) {
    return Future.succeededFuture(java.util.Optional.empty());
  }

  /**
   * The longest context {@code model} can run with on this provider (its trained context length:
   * Ollama's {@code /api/show} {@code model_info["<arch>.context_length"]}), or empty when the
   * provider cannot say. The router's context check raises {@code num_ctx} up to it, never past.
   */
  default Future<java.util.OptionalInt> maxContextLength(String model) {
    return Future.succeededFuture(java.util.OptionalInt.empty());
  }

  /**
   * How many input tokens {@code request} would use on this provider, before sending it (to check
   * it fits the model's context). Exact where the provider can count (Anthropic's count endpoint,
   * OpenAI's encodings for its own models); otherwise a {@link core.llm.common.TokenCount#estimate
   * marked estimate}.
   */
  default Future<core.llm.common.TokenCount> countTokens(
      core.llm.common.CompletionRequest request) {
    return Future.succeededFuture(core.llm.common.TokenCount.estimate(request));
  }

  /**
   * This provider as {@code type}, seeing through decorators (metrics, lifecycle management): for
   * callers that need a provider's own interface, such as the gateway forwarding Ollama's model
   * management with the headers the provider's client sends. Decorators delegate; empty when the
   * provider is not of that type.
   */
  default <T> java.util.Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this)
        ? java.util.Optional.of(type.cast(this))
        : java.util.Optional.empty();
  }
}
