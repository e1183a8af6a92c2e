package core.llm.cli;

import io.vertx.core.streams.ReadStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Moves a stream's events from its Vert.x event loop to the CLI's main thread, which prints them:
 * writing to a terminal can block, and event loops must not. The main thread takes events with
 * {@link #next()}; {@link #cancelled()} puts a marker so a Ctrl-C wakes it at once.
 *
 * @param <T> the chunk type
 */
final class StreamQueue<T> {
  /** One event: a chunk, the end, a failure, or a cancellation. */
  sealed interface Event<T> permits Item, End, Failed, Cancelled {}

  record Item<T>(T value) implements Event<T> {}

  record End<T>() implements Event<T> {}

  record Failed<T>(Throwable error) implements Event<T> {}

  record Cancelled<T>() implements Event<T> {}

  private final BlockingQueue<Event<T>> queue = new LinkedBlockingQueue<>();

  /** Attaches the handlers; the stream starts flowing (it was paused until a handler was set). */
  StreamQueue(ReadStream<T> stream) {
    stream.exceptionHandler(e -> queue.add(new Failed<>(e)));
    stream.endHandler(v -> queue.add(new End<>()));
    stream.handler(v -> queue.add(new Item<>(v)));
  }

  /**
   * Called after {@code cancel()}: no handler of the stream runs any more, so this ends the wait.
   */
  void cancelled() {
    queue.add(new Cancelled<>());
  }

  /** The next event, waiting for it. */
  Event<T> next() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Cancelled<>();
    }
  }
}
