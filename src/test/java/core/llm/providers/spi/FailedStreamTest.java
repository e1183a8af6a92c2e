package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import core.llm.common.BadRequestException;
import core.llm.common.ErrorContext;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stream failed before sending keeps the stream contract: exception handler, then result. */
@Timeout(30)
class FailedStreamTest {
  private final Vertx vertx = Vertx.vertx();
  private final BadRequestException error =
      new BadRequestException("invalid request", ErrorContext.of("p", "POST /x"));

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void resultFailsAfterTheExceptionHandler() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> settled = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          FailedStream<String, String> stream = new FailedStream<>(vertx, error);
          stream.handler(s -> events.add("chunk"));
          stream.exceptionHandler(e -> events.add("exception"));
          stream
              .result()
              .onComplete(
                  ar -> {
                    events.add(ar.failed() ? "result failed" : "result succeeded");
                    settled.complete(null);
                  });
        });
    settled.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("exception", "result failed"), events);
  }

  @Test
  void resultAloneFailsAndSoDoesItAfterCancel() throws Exception {
    FailedStream<String, String> alone = new FailedStream<>(vertx, error);
    assertSame(error, cause(alone.result().toCompletionStage().toCompletableFuture()));
    FailedStream<String, String> cancelled = new FailedStream<>(vertx, error);
    cancelled.cancel().await();
    assertSame(error, cause(cancelled.result().toCompletionStage().toCompletableFuture()));
  }

  private static Throwable cause(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
