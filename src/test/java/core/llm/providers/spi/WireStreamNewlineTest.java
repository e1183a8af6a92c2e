package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time newline search agrees with a byte loop, at every offset and every byte. */
class WireStreamNewlineTest {

  private static int naive(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Test
  void findsTheFirstNewlineLikeAByteLoop() {
    Random random = new Random(7);
    for (int round = 0; round < 5_000; round++) {
      byte[] bytes = new byte[random.nextInt(64)];
      for (int i = 0; i < bytes.length; i++) {
        // bytes next to a newline's value (0x09, 0x0B, 0x8A) and high bytes (UTF-8) are the traps
        int pick = random.nextInt(8);
        bytes[i] =
            (byte)
                switch (pick) {
                  case 0 -> '\n';
                  case 1 -> 0x09;
                  case 2 -> 0x0B;
                  case 3 -> 0x8A;
                  case 4 -> 0x00;
                  default -> random.nextInt(256);
                };
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertEquals(
          naive(bytes, from, to), WireStream.indexOfNewline(bytes, from, to), "round " + round);
    }
  }

  @Test
  void aBufferWithoutNewlinesHasNone() {
    byte[] bytes = new byte[1000];
    java.util.Arrays.fill(bytes, (byte) 'x');
    assertEquals(-1, WireStream.indexOfNewline(bytes, 0, bytes.length));
    bytes[999] = '\n';
    assertEquals(999, WireStream.indexOfNewline(bytes, 0, bytes.length));
    assertEquals(999, WireStream.indexOfNewline(bytes, 993, bytes.length));
  }
}
