package core.llm.providers.openai;

import core.llm.providers.base.LlmProvider;
import io.vertx.core.Vertx;

/**
 * An {@link LlmProvider} for any server that speaks OpenAI's Chat Completions API: OpenAI itself,
 * vLLM, llama.cpp's server, LM Studio, Ollama's {@code /v1}, and gateways that imitate them.
 *
 * <ul>
 *   <li>{@code chat}/{@code chatStream}: {@code POST {baseUrl}/chat/completions}; streaming uses
 *       SSE with {@code stream_options.include_usage}, so the final delta carries usage. Reasoning
 *       text ({@code reasoning_content} or {@code reasoning}) becomes thinking. The token limit is
 *       sent as {@code max_tokens} (widely supported); provider options are merged as top-level
 *       fields.
 *   <li>{@code embed}: {@code POST {baseUrl}/embeddings}; {@code listModels} and {@code health}:
 *       {@code GET {baseUrl}/models}.
 *   <li>Errors: status and OpenAI error bodies map to the shared taxonomy (400 context overflow →
 *       {@link core.llm.common.ContextTooLongException}, 429 with Retry-After → {@link
 *       core.llm.common.RateLimitedException}, 503 → overloaded...). The provider never retries:
 *       the router does.
 * </ul>
 *
 * <p>One pooled Vert.x HTTP client per provider; call {@link #close()} to release it.
 */
public interface OpenAiProvider extends LlmProvider {

  /** Creates a provider; no request is sent until the first call. */
  static OpenAiProvider create(Vertx vertx, OpenAiOptions options) {
    return new OpenAiProviderImpl(vertx, new OpenAiOptions(options));
  }

  /** A copy of the options this provider was created with. */
  OpenAiOptions options();
}
