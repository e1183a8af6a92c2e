package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
  private final List<String> lines = new ArrayList<>();

  private boolean collect(byte[] bytes, int offset, int length) {
    lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
    return true;
  }

  /**
   * Feeds the bytes at the start of a larger, dirty array, as the stream's reused scratch array is.
   */
  private static boolean feed(LineFramer framer, byte[] bytes, LineFramer.LineHandler handler) {
    byte[] scratch = new byte[bytes.length + 7];
    java.util.Arrays.fill(scratch, (byte) '\n');
    System.arraycopy(bytes, 0, scratch, 0, bytes.length);
    return framer.feed(scratch, bytes.length, handler);
  }

  @Test
  void everySplitPointGivesTheSameLines() {
    byte[] input =
        "{\"a\":\"h\u00e9\"}\r\n\n  \n{\"b\":\"\ud83d\ude00\u4e16\"}\n{\"c\":1}"
            .getBytes(StandardCharsets.UTF_8);
    List<String> expected =
        List.of("{\"a\":\"h\u00e9\"}", "{\"b\":\"\ud83d\ude00\u4e16\"}", "{\"c\":1}");
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        lines.clear();
        LineFramer framer = new LineFramer(1024);
        assertTrue(feed(framer, Arrays.copyOfRange(input, 0, first), this::collect));
        assertTrue(feed(framer, Arrays.copyOfRange(input, first, second), this::collect));
        assertTrue(feed(framer, Arrays.copyOfRange(input, second, input.length), this::collect));
        assertTrue(framer.finish(this::collect));
        assertEquals(expected, lines, "split at " + first + "," + second);
      }
    }
  }

  @Test
  void aLineOverTheLimitStopsFramingEvenWhenItArrivesInPieces() {
    LineFramer framer = new LineFramer(10);
    assertTrue(feed(framer, "12345".getBytes(StandardCharsets.US_ASCII), this::collect));
    assertFalse(feed(framer, "678901".getBytes(StandardCharsets.US_ASCII), this::collect));
    assertTrue(framer.overlong());
    assertTrue(lines.isEmpty());
  }

  @Test
  void aHandlerThatStopsEndsFramingAtThatLine() {
    LineFramer framer = new LineFramer(100);
    assertFalse(
        feed(
            framer,
            "a\nb\nc\n".getBytes(StandardCharsets.US_ASCII),
            (b, o, l) -> {
              lines.add(new String(b, o, l, StandardCharsets.US_ASCII));
              return lines.size() < 2;
            }));
    assertEquals(List.of("a", "b"), lines);
    assertFalse(framer.overlong());
  }

  @Test
  void aLongLineSpanningBuffersDoesNotKeepItsMemoryOnceOut() {
    LineFramer framer = new LineFramer(1024 * 1024);
    byte[] half = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    assertTrue(feed(framer, half, this::collect));
    assertTrue(framer.retained() >= half.length, "the partial line is held: " + framer.retained());
    assertTrue(feed(framer, "yy\n".getBytes(StandardCharsets.UTF_8), this::collect));
    assertEquals(100_002, lines.get(0).length());
    assertEquals(0, framer.retained());
  }

  @Test
  void aShortPartialLineKeepsItsSmallArrayForTheNext() {
    LineFramer framer = new LineFramer(1024);
    assertTrue(feed(framer, "{\"a\":".getBytes(StandardCharsets.UTF_8), this::collect));
    assertTrue(feed(framer, "1}\n".getBytes(StandardCharsets.UTF_8), this::collect));
    assertEquals(List.of("{\"a\":1}"), lines);
    assertTrue(framer.retained() > 0 && framer.retained() <= 1024, "kept: " + framer.retained());
  }
}
