package core.llm.providers.ollama;

import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.InvalidResponseException;
import core.llm.common.TokenCount;
import core.llm.providers.ollama.models.ShowRequest;
import core.llm.providers.ollama.models.ShowResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts prompts with each model's own vocabulary, fetched from {@code /api/show} with {@code
 * verbose} and kept per model digest (a digest names the weights, template and system prompt, so a
 * re-pulled model is fetched again). The cache holds the few most recently used models, since one
 * vocabulary with its merges is tens of MB in memory. Callers that ask for the same digest while it
 * is being fetched share the one fetch; a failed fetch is forgotten so the next call tries again.
 */
final class OllamaTokenCounter {
  /** Models kept: enough for the handful a host serves, bounded because each is large. */
  static final int DEFAULT_CAPACITY = 4;

  private final int capacity;

  // access order: the eldest entry is the least recently used
  private final Map<String, Future<OllamaModelTokens>> byDigest =
      new LinkedHashMap<>(16, 0.75f, true); // guarded by this

  OllamaTokenCounter(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The count of {@code request} for the model installed on {@code client}'s server whose digest is
   * {@code digest}.
   */
  Future<TokenCount> count(OllamaClient client, CompletionRequest request, String digest) {
    return tokens(client, request.model(), digest)
        .compose(t -> client.vertx().executeBlocking(() -> t.count(request), false));
  }

  /** How many models the cache holds now. */
  synchronized int cached() {
    return byDigest.size();
  }

  private Future<OllamaModelTokens> tokens(OllamaClient client, String model, String digest) {
    Future<OllamaModelTokens> f;
    synchronized (this) {
      f = byDigest.get(digest);
      if (f != null) {
        return f;
      }
      f = fetch(client, model);
      byDigest.put(digest, f);
      if (byDigest.size() > capacity) {
        var eldest = byDigest.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    Future<OllamaModelTokens> mine = f;
    return f.onFailure(
        e -> {
          synchronized (this) {
            byDigest.remove(digest, mine);
          }
        });
  }

  /**
   * The verbose {@code /api/show}, parsed and turned into tables on a worker thread. The client's
   * own transport gives the raw body, so not even the JSON parse of the multi-MB reply runs on the
   * event loop; another client implementation is asked through its typed {@code show}.
   */
  private Future<OllamaModelTokens> fetch(OllamaClient client, String model) {
    ShowRequest request = ShowRequest.verbose(model);
    if (client instanceof OllamaClientImpl impl) {
      Future<Buffer> raw = impl.transport().call(impl.call(HttpMethod.POST, "/api/show", request));
      return raw.compose(
          body ->
              client
                  .vertx()
                  .executeBlocking(() -> OllamaModelTokens.from(parse(client, body)), false));
    }
    return client
        .show(request)
        .compose(show -> client.vertx().executeBlocking(() -> OllamaModelTokens.from(show), false));
  }

  private static ShowResponse parse(OllamaClient client, Buffer body) {
    try {
      return OllamaJson.MAPPER.readValue(body.getBytes(), ShowResponse.class);
    } catch (java.io.IOException e) {
      throw new InvalidResponseException(
          "Ollama's reply to POST /api/show (verbose) is not the expected JSON ("
              + e.getMessage()
              + "); tokens cannot be counted with the model's vocabulary.",
          ErrorContext.of(client.baseUrl(), "POST /api/show"),
          e);
    }
  }
}
