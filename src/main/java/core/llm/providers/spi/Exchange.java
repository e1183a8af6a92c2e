package core.llm.providers.spi;

import core.llm.common.CancelledException;
import core.llm.common.ErrorContext;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.TimerDelays;
import core.llm.providers.base.Timeouts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange from request to the end of its body, on one Vert.x context: the request, the
 * first-byte, idle and total timers, cancellation, and the mapping of transport failures and
 * non-2xx replies to typed errors. Subclasses decide what to do with a 2xx body.
 *
 * <p>Every method runs on {@link #context}; public entry points of subclasses hop onto it.
 */
abstract class Exchange {
  private static final int MAX_ERROR_BODY = 64 * 1024;

  final Vertx vertx;
  final Context context;
  final HttpTransport transport;
  final HttpCall call;
  final ErrorContext errorContext;
  private final ReadStream<Buffer> uploadBody;

  private HttpClientRequest request;
  HttpClientResponse response;
  private long firstByteTimer = -1;
  private long totalTimer = -1;
  private long idleTimer = -1;
  private long lastActivityNanos;
  private boolean idlePaused;

  /** Set once the exchange has failed, been cancelled or finished; nothing happens after. */
  boolean terminated;

  private boolean responseEnded;

  /** The (bounded) body of a non-2xx reply, collected for the error mapper. */
  private Buffer errorBody;

  /** Whether this exchange is still counted in the transport's in-flight number. */
  private boolean counted;

  Exchange(HttpTransport transport, HttpCall call, ReadStream<Buffer> uploadBody) {
    this.transport = transport;
    this.vertx = transport.vertx();
    this.context = vertx.getOrCreateContext();
    this.call = call;
    this.uploadBody = uploadBody;
    this.errorContext = ErrorContext.of(transport.providerName(), call.endpoint());
  }

  /** Starts the request on the context (hopping there if needed). */
  final void start() {
    transport.exchangeStarted(this);
    counted = true;
    onContext(this::send);
  }

  /** The transport is closing: end as cancelled, whatever phase the exchange is in. */
  final Future<Void> clientClosed() {
    Promise<Void> done = Promise.promise();
    onContext(
        () -> {
          fail(transport.closedError(errorContext));
          done.complete();
        });
    return done.future();
  }

  final void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void send() {
    if (terminated) {
      return;
    }
    if (transport.closed()) {
      fail(transport.closedError(errorContext));
      return;
    }
    Timeouts t = call.timeouts();
    long total = TimerDelays.millis(t.total());
    if (total > 0) {
      totalTimer = startTimer(total, id -> timeout(LlmTimeoutException.Phase.TOTAL, t.total()));
    }
    RequestOptions options = transport.requestOptions(call);
    long connect = TimerDelays.millis(t.connect());
    if (connect > 0) {
      options.setConnectTimeout(connect);
    }
    HttpClient client = transport.client();
    Future<HttpClientRequest> opened;
    try {
      opened = client.request(options);
    } catch (RuntimeException e) {
      opened = Future.failedFuture(e); // a client closed in the meantime throws instead of failing
    }
    opened.onComplete(
        ar -> {
          if (ar.failed()) {
            fail(connectFailure(ar.cause()));
            return;
          }
          HttpClientRequest req = ar.result();
          request = req;
          // Failures reach us through the send future; this only stops Vert.x logging our own
          // resets.
          req.exceptionHandler(this::onRequestException);
          if (terminated) {
            req.reset();
            return;
          }
          if (transport.closed()) {
            // close() began while this request waited for a connection (the connection may be one
            // close() just freed, on another event loop): it is reset unsent
            fail(transport.closedError(errorContext));
            return;
          }
          long firstByte = TimerDelays.millis(t.firstByte());
          if (firstByte > 0) {
            firstByteTimer =
                startTimer(
                    firstByte, id -> timeout(LlmTimeoutException.Phase.FIRST_BYTE, t.firstByte()));
          }
          Future<HttpClientResponse> sent;
          if (uploadBody != null) {
            sent = req.send(uploadBody);
          } else if (call.body() != null) {
            sent = req.send(call.body());
          } else {
            sent = req.send();
          }
          sent.onComplete(
              rar -> {
                if (rar.failed()) {
                  fail(
                      transport
                          .errors()
                          .connectionFailed(rar.cause(), transport.url(call), errorContext));
                } else {
                  onResponseHead(rar.result());
                }
              });
        });
  }

  private LlmException connectFailure(Throwable cause) {
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.channel.ConnectTimeoutException
        || (cause.getMessage() != null && cause.getMessage().contains("timeout"))) {
      Duration limit = call.timeouts().connect();
      return new LlmTimeoutException(
          "Could not connect to "
              + transport.url(call)
              + " within "
              + limit
              + "; check that the server is reachable, or raise the connect timeout",
          LlmTimeoutException.Phase.CONNECT,
          limit,
          errorContext);
    }
    return transport.errors().connectionFailed(cause, transport.url(call), errorContext);
  }

  private void onResponseHead(HttpClientResponse resp) {
    if (terminated) {
      return;
    }
    response = resp;
    resp.pause();
    cancelTimer(firstByteTimer);
    firstByteTimer = -1;
    resp.endHandler(
        v -> {
          responseEnded = true;
          onBodyEnd();
        });
    resp.exceptionHandler(this::onBodyException);
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      armIdle();
      onSuccessHead(resp);
    } else {
      collectError(resp);
    }
  }

  private void collectError(HttpClientResponse resp) {
    Buffer body = Buffer.buffer();
    resp.handler(
        b -> {
          touch();
          if (body.length() < MAX_ERROR_BODY) {
            body.appendBuffer(b, 0, Math.min(b.length(), MAX_ERROR_BODY - body.length()));
          }
        });
    armIdle();
    errorBody = body;
    resp.resume();
  }

  private void onBodyEnd() {
    if (terminated) {
      return;
    }
    if (errorBody != null) {
      MultiMap headers = response.headers();
      fail(
          transport
              .errors()
              .fromStatus(response.statusCode(), headers, errorBody.toString(), errorContext));
      return;
    }
    onSuccessEnd();
  }

  private void onRequestException(Throwable cause) {
    if (!terminated) {
      fail(transport.errors().connectionFailed(cause, transport.url(call), errorContext));
    }
  }

  private void onBodyException(Throwable cause) {
    if (terminated) {
      return;
    }
    fail(onBodyFailure(cause));
  }

  /** The response head of a 2xx reply arrived; the response is paused. */
  abstract void onSuccessHead(HttpClientResponse resp);

  /** The 2xx body ended normally. */
  abstract void onSuccessEnd();

  /** The connection broke during a 2xx body: say what that means for this kind of exchange. */
  abstract LlmException onBodyFailure(Throwable cause);

  /** Called once when the exchange fails (not when it is cancelled). */
  abstract void onFailure(LlmException error);

  /** The exchange ended: give back what it reserved of the transport's budget. */
  void released() {}

  /** Data arrived: the idle clock starts again. */
  final void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** While the consumer has paused us, silence is not the server's fault. */
  final void idlePaused(boolean paused) {
    if (idlePaused && !paused) {
      touch();
    }
    idlePaused = paused;
  }

  private void armIdle() {
    long idle = TimerDelays.millis(call.timeouts().idle());
    if (idle <= 0 || idleTimer >= 0) {
      return;
    }
    touch();
    idleTimer = startTimer(idle, this::idleCheck);
  }

  private void idleCheck(long id) {
    idleTimer = -1;
    if (terminated) {
      return;
    }
    long idle = TimerDelays.millis(call.timeouts().idle());
    long silentMs = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (!idlePaused && silentMs >= idle) {
      timeout(LlmTimeoutException.Phase.IDLE, call.timeouts().idle());
    } else {
      long wait = idlePaused ? idle : Math.max(1, idle - silentMs);
      idleTimer = startTimer(wait, this::idleCheck);
    }
  }

  private void timeout(LlmTimeoutException.Phase phase, Duration limit) {
    if (terminated) {
      return;
    }
    String what =
        switch (phase) {
          case FIRST_BYTE ->
              "No reply from "
                  + transport.url(call)
                  + " within "
                  + limit
                  + " (a cold model load can take minutes; raise the first-byte timeout,"
                  + " or preload the model first)";
          case IDLE ->
              "The server went silent for "
                  + limit
                  + " in the middle of the reply from "
                  + transport.url(call);
          case TOTAL -> "The exchange with " + transport.url(call) + " took longer than " + limit;
          case CONNECT -> "Could not connect to " + transport.url(call) + " within " + limit;
        };
    fail(new LlmTimeoutException(what, phase, limit, errorContext));
  }

  /** Fails the exchange: timers cleared, the connection closed unless the body already ended. */
  final void fail(LlmException error) {
    if (terminated) {
      return;
    }
    terminate(true);
    // Closing the client tears connections down; whatever that looks like, the caller is told why.
    onFailure(
        transport.closed() && !(error instanceof CancelledException)
            ? transport.closedError(errorContext)
            : error);
  }

  /** Cancels: like a failure, but the subclass is told by the caller, not through onFailure. */
  final CancelledException cancelExchange() {
    CancelledException cancelled =
        new CancelledException("Cancelled by the caller; the connection was closed", errorContext);
    if (!terminated) {
      terminate(true);
    }
    return cancelled;
  }

  /**
   * Ends the exchange. {@code closeConnection}: reset the request if the body has not ended, so an
   * unfinished body never goes back to the pool.
   */
  final void terminate(boolean closeConnection) {
    terminated = true;
    if (counted) {
      counted = false;
      transport.exchangeEnded(this);
      released();
    }
    cancelTimer(firstByteTimer);
    cancelTimer(totalTimer);
    cancelTimer(idleTimer);
    firstByteTimer = totalTimer = idleTimer = -1;
    if (closeConnection && request != null && !responseEnded) {
      request.reset();
    }
  }

  final boolean responseEnded() {
    return responseEnded;
  }

  /**
   * A timer the transport counts until it fires or is cancelled (see {@link
   * HttpTransport#liveTimers()}).
   */
  private long startTimer(long delayMs, io.vertx.core.Handler<Long> action) {
    transport.timerStarted();
    return vertx.setTimer(
        delayMs,
        id -> {
          transport.timerEnded();
          action.handle(id);
        });
  }

  private void cancelTimer(long id) {
    if (id >= 0 && vertx.cancelTimer(id)) {
      transport.timerEnded();
    }
  }
}
