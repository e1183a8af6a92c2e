package core.llm.providers.spi;

import core.llm.common.ConnectionException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/** A request whose whole 2xx body is collected (up to a bound) and returned. */
final class UnaryExchange extends Exchange {
  private final Promise<Buffer> promise;
  private final int maxBody;

  /**
   * The body: the first piece as it came (most replies are one piece), copied only if more come.
   */
  private Buffer body;

  private boolean bodyOwned;

  UnaryExchange(HttpTransport transport, HttpCall call, ReadStream<Buffer> upload, int maxBody) {
    super(transport, call, upload);
    this.promise = Promise.promise();
    this.maxBody = maxBody;
  }

  Future<Buffer> future() {
    return promise.future();
  }

  @Override
  void onSuccessHead(HttpClientResponse resp) {
    resp.handler(
        b -> {
          touch();
          int size = body == null ? 0 : body.length();
          if (size + b.length() > maxBody) {
            fail(
                new InvalidResponseException(
                    "The reply from " + call.endpoint() + " is larger than " + maxBody + " bytes",
                    errorContext));
            return;
          }
          if (body == null) {
            body = b;
          } else {
            if (!bodyOwned) {
              body = Buffer.buffer(Math.max(2 * size, size + b.length())).appendBuffer(body);
              bodyOwned = true;
            }
            body.appendBuffer(b);
          }
        });
    resp.resume();
  }

  @Override
  void onSuccessEnd() {
    terminate(false);
    promise.tryComplete(body == null ? Buffer.buffer() : body);
  }

  @Override
  LlmException onBodyFailure(Throwable cause) {
    return new ConnectionException(
        "The connection closed before the reply from " + call.endpoint() + " was complete",
        errorContext,
        cause);
  }

  @Override
  void onFailure(LlmException error) {
    promise.tryFail(error);
  }
}
