package corellm.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import core.llm.providers.ollama.models.ChatResponse;
import corellm.bench.clients.RawVertxClient;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A timing breakdown of the per-token work, without the network: CPU time and bytes allocated per
 * ~130-byte NDJSON line for the decoding steps core-llm's stream does (buffer copy, error-key scan,
 * binding to ChatResponse with its extras maps, string concatenation, chunk retention) next to the
 * raw loop's binding to a small record. Single thread, in process; not part of run.sh's table.
 */
public final class ParseProfile {
  static final com.sun.management.ThreadMXBean T =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  interface Step {
    void run(byte[] body, int[] starts, int[] lengths) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    byte[] body = FastOllamaServer.streamBody(2000);
    List<int[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        lines.add(new int[] {start, i - start});
        start = i + 1;
      }
    }
    int[] starts = lines.stream().mapToInt(l -> l[0]).toArray();
    int[] lengths = lines.stream().mapToInt(l -> l[1]).toArray();
    ObjectMapper fast =
        new ObjectMapper(
            JsonFactory.builder()
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build());
    ObjectReader lib = fast.readerFor(ChatResponse.class);
    ObjectReader raw = fast.readerFor(RawVertxClient.Chunk.class);
    byte[] needle = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    Object[] sink = new Object[1];

    run(
        "copy 16 KB network buffers to byte[] (Buffer.getBytes)",
        body,
        starts,
        lengths,
        (b, s, l) -> {
          for (int off = 0; off < b.length; off += 16384) {
            byte[] copy = new byte[Math.min(16384, b.length - off)];
            System.arraycopy(b, off, copy, 0, copy.length);
            sink[0] = copy;
          }
        });
    run(
        "scan each line for \"error\"",
        body,
        starts,
        lengths,
        (b, s, l) -> {
          int hits = 0;
          for (int i = 0; i < s.length; i++) {
            if (contains(b, s[i], l[i], needle)) {
              hits++;
            }
          }
          sink[0] = hits;
        });
    run(
        "raw: bind line to a 12-field record",
        body,
        starts,
        lengths,
        (b, s, l) -> {
          for (int i = 0; i < s.length; i++) {
            sink[0] = raw.readValue(b, s[i], l[i]);
          }
        });
    run(
        "core-llm: bind line to ChatResponse (records + @JsonAnySetter extras)",
        body,
        starts,
        lengths,
        (b, s, l) -> {
          for (int i = 0; i < s.length; i++) {
            sink[0] = lib.readValue(b, s[i], l[i]);
          }
        });
    run(
        "core-llm: bind + aggregate content + keep every chunk (receivedForError)",
        body,
        starts,
        lengths,
        (b, s, l) -> {
          StringBuilder content = new StringBuilder();
          List<Object> kept = new ArrayList<>();
          java.util.ArrayDeque<Object> queue = new java.util.ArrayDeque<>();
          for (int i = 0; i < s.length; i++) {
            ChatResponse r = lib.readValue(b, s[i], l[i]);
            if (r.message() != null && r.message().content() != null) {
              content.append(r.message().content());
            }
            kept.add(r);
            queue.add(r);
            sink[0] = queue.poll();
          }
          sink[0] = kept;
          sink[0] = content.toString();
        });
  }

  static void run(String name, byte[] body, int[] starts, int[] lengths, Step step)
      throws Exception {
    for (int i = 0; i < 300; i++) {
      step.run(body, starts, lengths);
    }
    int iterations = 300;
    long a0 = T.getCurrentThreadAllocatedBytes();
    long c0 = T.getCurrentThreadCpuTime();
    for (int i = 0; i < iterations; i++) {
      step.run(body, starts, lengths);
    }
    long cpu = T.getCurrentThreadCpuTime() - c0;
    long alloc = T.getCurrentThreadAllocatedBytes() - a0;
    double perLine = (double) iterations * starts.length;
    System.out.printf(
        java.util.Locale.ROOT,
        "%-80s %7.3f us/line %7.0f B/line%n",
        name,
        cpu / 1000.0 / perLine,
        alloc / perLine);
  }

  static boolean contains(byte[] bytes, int offset, int length, byte[] needle) {
    int last = offset + length - needle.length;
    outer:
    for (int i = offset; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private ParseProfile() {}
}
