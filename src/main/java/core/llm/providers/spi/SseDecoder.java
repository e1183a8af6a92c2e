package core.llm.providers.spi;

import java.nio.charset.StandardCharsets;

/**
 * Frames Server-Sent Events for OpenAI- and Anthropic-style streams on top of the shared line
 * stream: remembers the last {@code event:} name and hands each {@code data:} line to an {@link
 * EventHandler} with it. Comments ({@code :}), {@code id:} and {@code retry:} are ignored. Both
 * APIs send one {@code data:} line per event, so a data line is an event.
 */
public final class SseDecoder<T> implements LineDecoder<T> {

  /** Turns one SSE event into chunks; completes the sink at the end marker. */
  public interface EventHandler<T> {
    void event(String event, String data, LineDecoder.Sink<T> sink);

    /** The body ended without the end marker. */
    void end(LineDecoder.Sink<T> sink);
  }

  private final EventHandler<T> handler;
  private String event;

  public SseDecoder(EventHandler<T> handler) {
    this.handler = handler;
  }

  @Override
  public void line(byte[] bytes, int offset, int length, Sink<T> sink) {
    String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
    if (line.startsWith(":")) {
      return;
    }
    if (line.startsWith("event:")) {
      event = line.substring(6).trim();
    } else if (line.startsWith("data:")) {
      String data = line.substring(5);
      if (data.startsWith(" ")) {
        data = data.substring(1);
      }
      String name = event == null ? "message" : event;
      event = null;
      handler.event(name, data, sink);
    }
  }

  @Override
  public void end(Sink<T> sink) {
    handler.end(sink);
  }
}
