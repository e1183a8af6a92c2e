package core.llm.providers.anthropic;

import core.llm.common.CompletionRequest;
import core.llm.providers.base.LlmProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * An {@link LlmProvider} over Anthropic's Messages API ({@code POST /v1/messages}).
 *
 * <p>Mapping decisions, in short:
 *
 * <ul>
 *   <li>System messages become the top-level {@code system} text (joined by blank lines); tool
 *       results become {@code tool_result} blocks of a user message, consecutive ones merged.
 *   <li>{@code max_tokens} is required by the API: the request's value, else {@link
 *       AnthropicOptions#getDefaultMaxTokens()}.
 *   <li>Thinking ({@link CompletionRequest#think()}, a {@link core.llm.common.Thinking}): level
 *       low=1024, medium and on=4096, high=16384, max=32768 budget tokens, or a budget of at least
 *       1024; off/null send nothing. With no explicit max tokens, the budget is added to the
 *       default so that the visible answer keeps its room. Thinking from earlier assistant turns is
 *       not sent back (the API needs its signature, which the neutral types do not carry).
 *   <li>Structured output: the base API has no {@code response_format}, so the request forces one
 *       tool, {@value #STRUCTURED_TOOL}, whose {@code input_schema} is the schema ({@code
 *       tool_choice: {"type":"tool","name":"respond"}}); the tool's input JSON is returned as the
 *       reply's content text, and the finish reason is {@code STOP}. The API refuses thinking with
 *       a forced tool, so that combination fails fast as a bad request.
 *   <li>Errors inside a 200 stream ({@code event: error}) fail it with a {@link
 *       core.llm.common.StreamErrorException}, except {@code overloaded_error} before any content:
 *       nothing was committed, so it is an {@link core.llm.common.OverloadedException} the router
 *       may retry elsewhere.
 *   <li>Prompt tokens are {@code input_tokens} plus the cache creation and cache read tokens:
 *       everything the model read.
 *   <li>No embeddings: {@link #embed} fails with a {@link
 *       core.llm.common.CapabilityMissingException}.
 * </ul>
 *
 * <p>Like every provider, it never retries: the router does.
 */
public interface AnthropicProvider extends LlmProvider {

  /** The name of the forced tool that carries structured output. */
  String STRUCTURED_TOOL = "respond";

  /** A provider with its own HTTP client; {@link #close()} releases it. */
  static AnthropicProvider create(Vertx vertx, AnthropicOptions options) {
    return new AnthropicProviderImpl(vertx, new AnthropicOptions(options));
  }

  /**
   * How many input tokens the request would use ({@code POST /v1/messages/count_tokens}): system,
   * messages, tools and thinking are counted as {@link #chat} would send them. Exact.
   */
  @Override
  Future<core.llm.common.TokenCount> countTokens(CompletionRequest request);
}
