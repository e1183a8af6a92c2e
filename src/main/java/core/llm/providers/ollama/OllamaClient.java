package core.llm.providers.ollama;

import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.Timeouts;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.ChatResponse;
import core.llm.providers.ollama.models.CopyRequest;
import core.llm.providers.ollama.models.CreateRequest;
import core.llm.providers.ollama.models.DeleteRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.EmbedResponse;
import core.llm.providers.ollama.models.EmbeddingsRequest;
import core.llm.providers.ollama.models.EmbeddingsResponse;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.GenerateResponse;
import core.llm.providers.ollama.models.ListResponse;
import core.llm.providers.ollama.models.MeResponse;
import core.llm.providers.ollama.models.ModelRecommendationsResponse;
import core.llm.providers.ollama.models.ProcessResponse;
import core.llm.providers.ollama.models.ProgressResponse;
import core.llm.providers.ollama.models.PullRequest;
import core.llm.providers.ollama.models.PushRequest;
import core.llm.providers.ollama.models.ShowRequest;
import core.llm.providers.ollama.models.ShowResponse;
import core.llm.providers.ollama.models.StatusResponse;
import core.llm.providers.ollama.models.VersionResponse;
import core.llm.providers.ollama.models.WebFetchRequest;
import core.llm.providers.ollama.models.WebFetchResponse;
import core.llm.providers.ollama.models.WebSearchRequest;
import core.llm.providers.ollama.models.WebSearchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ollama's native API, one method per endpoint, every method non-blocking.
 *
 * <p>Non-streaming methods return a {@link Future}; {@code ...Stream} methods return a {@link
 * ResponseStream} (a Vert.x {@code ReadStream} with back-pressure, cancellation and the aggregated
 * result). Failures are typed {@link core.llm.common.LlmException}s: model not found, capability
 * missing, bad request, unauthorized, server busy, timeouts, stream errors after 200, streams that
 * end without {@code done}.
 *
 * <p>Thread-safe. Create one per server and share it; {@link #close()} releases its connections.
 */
public interface OllamaClient {

  /** A client configured from {@code OLLAMA_HOST} and {@code OLLAMA_API_KEY}. */
  static OllamaClient create(Vertx vertx) {
    return create(vertx, OllamaClientOptions.fromEnvironment());
  }

  static OllamaClient create(Vertx vertx, OllamaClientOptions options) {
    return new OllamaClientImpl(vertx, new OllamaClientOptions(options));
  }

  /**
   * A view of this client with other timeouts (set fields override, null fields inherit) and extra
   * headers, sharing its connections: per-request settings without a new pool.
   */
  OllamaClient with(Timeouts timeouts, Map<String, String> headers);

  /** {@code POST /api/generate} with {@code stream:false}: the whole completion at once. */
  Future<GenerateResponse> generate(GenerateRequest request);

  /** {@code POST /api/generate} streamed; the result concatenates text, thinking and logprobs. */
  ResponseStream<GenerateResponse, GenerateResponse> generateStream(GenerateRequest request);

  /** {@code POST /api/chat} with {@code stream:false}. */
  Future<ChatResponse> chat(ChatRequest request);

  /**
   * {@code POST /api/chat} streamed. The result is a {@link ChatResponse} as the non-streamed call
   * would give it: content and thinking concatenated, tool calls gathered from every chunk (the
   * final one included), logprobs concatenated, metrics and {@code done_reason} from the final one.
   */
  ResponseStream<ChatResponse, ChatResponse> chatStream(ChatRequest request);

  /** {@code POST /api/embed}: L2-normalised vectors for one or many inputs. */
  Future<EmbedResponse> embed(EmbedRequest request);

  /**
   * {@code POST /api/embeddings}: the legacy single, non-normalised embedding.
   *
   * @deprecated use {@link #embed(EmbedRequest)}
   */
  @Deprecated
  Future<EmbeddingsResponse> embeddings(EmbeddingsRequest request);

  /** {@code POST /api/pull} with {@code stream:false}: the last status, normally "success". */
  Future<ProgressResponse> pull(PullRequest request);

  /** {@code POST /api/pull} streamed; the result sums progress per layer. */
  ResponseStream<ProgressResponse, ProgressSummary> pullStream(PullRequest request);

  Future<ProgressResponse> push(PushRequest request);

  ResponseStream<ProgressResponse, ProgressSummary> pushStream(PushRequest request);

  Future<ProgressResponse> create(CreateRequest request);

  ResponseStream<ProgressResponse, ProgressSummary> createStream(CreateRequest request);

  /** {@code POST /api/show}. */
  Future<ShowResponse> show(ShowRequest request);

  default Future<ShowResponse> show(String model) {
    return show(new ShowRequest(model, null, null, null, null));
  }

  /** {@code GET /api/tags}: the installed models. */
  Future<ListResponse> list();

  /** {@code GET /api/ps}: the models loaded in memory. */
  Future<ProcessResponse> ps();

  /** {@code GET /api/version}. */
  Future<VersionResponse> version();

  /** {@code GET /api/status}: whether cloud models and web search can work on this server. */
  Future<StatusResponse> status();

  /** {@code POST /api/copy}; Ollama answers with an empty body. */
  Future<Void> copy(CopyRequest request);

  /** {@code DELETE /api/delete} with a JSON body; Ollama answers with an empty body. */
  Future<Void> delete(DeleteRequest request);

  /** {@code HEAD /api/blobs/:digest}: whether the server has the blob ({@code sha256:<hex>}). */
  Future<Boolean> blobExists(String digest);

  /**
   * Uploads a file as a blob: streams it through SHA-256 (never whole in memory), asks the server
   * whether it has it, uploads only if not, and returns the digest ({@code sha256:<hex>}) to use in
   * {@link CreateRequest} {@code files}.
   */
  Future<String> createBlob(Path file);

  /** {@code HEAD /}: completes when the server answers at all. */
  Future<Void> heartbeat();

  /** {@code POST /api/me}: the ollama.com account this server is signed in with. */
  Future<MeResponse> me();

  /** {@code POST /api/signout}. */
  Future<Void> signout();

  /**
   * Web search: {@code POST /api/web_search} when the base URL is ollama.com (with the API key as
   * bearer), else {@code POST /api/experimental/web_search}, which a local server proxies to
   * ollama.com for its signed-in user. An empty query fails with a {@code BAD_REQUEST} error before
   * anything is sent.
   */
  Future<WebSearchResponse> webSearch(WebSearchRequest request);

  /** Web fetch, routed as {@link #webSearch}; an empty URL fails before anything is sent. */
  Future<WebFetchResponse> webFetch(WebFetchRequest request);

  /** {@code GET /api/experimental/model-recommendations}. */
  Future<ModelRecommendationsResponse> modelRecommendations();

  /** The base URL this client talks to. */
  String baseUrl();

  /**
   * The headers this client sends with every request (User-Agent, its credentials, the configured
   * custom headers and the supplier's, resolved now): for a caller that forwards raw requests to
   * the same server, as the gateway does with model management.
   */
  io.vertx.core.MultiMap requestHeaders();

  /** The Vert.x instance this client runs on. */
  Vertx vertx();

  /**
   * Closes the connection pool (shared with views from {@link #with}). Requests and streams in
   * flight, also those still waiting for a connection, fail first with a {@link
   * core.llm.common.CancelledException} saying the client was closed; so does every later request.
   */
  Future<Void> close();
}
