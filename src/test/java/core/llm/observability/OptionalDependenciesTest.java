package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer and Vert.x Web are optional: only the classes meant for them may name their types.
 * Scans the constant pool of every compiled main class (class references and descriptors are UTF-8
 * constants in slash form; the string in {@code MetricsSink}'s Class.forName is in dot form and is
 * allowed).
 */
class OptionalDependenciesTest {
  static final Path CLASSES = Path.of("target", "classes");

  @Test
  void onlyTheMicrometerPackageReferencesMicrometer() throws IOException {
    List<String> offenders = referencing("io/micrometer/");
    offenders.removeIf(c -> c.startsWith("core/llm/observability/micrometer/"));
    assertEquals(List.of(), offenders);
    assertTrue(
        referencing("io/micrometer/")
            .contains("core/llm/observability/micrometer/MicrometerMetricsSink.class"),
        "the scan sees the one class that should match");
  }

  @Test
  void onlyMonitoringHandlerAndTheGatewayReferenceVertxWeb() throws IOException {
    List<String> users = referencing("io/vertx/ext/web/");
    assertTrue(users.contains("core/llm/observability/MonitoringHandler.class"), users.toString());
    assertEquals(
        List.of(),
        users.stream()
            .filter(c -> !c.equals("core/llm/observability/MonitoringHandler.class"))
            .filter(c -> !c.startsWith("core/llm/gateway/"))
            .toList(),
        "vertx-web is optional: the library outside the gateway must not need it");
  }

  @Test
  void detectFindsMicrometerOnTheTestClasspath() {
    assertTrue(MetricsSink.micrometerPresent());
    assertEquals("MicrometerMetricsSink", MetricsSink.detect().getClass().getSimpleName());
  }

  /**
   * Main classes (relative paths) whose constant pool has a UTF-8 entry containing {@code prefix}.
   */
  static List<String> referencing(String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(CLASSES)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(p)) {
          if (utf8Constants(new DataInputStream(in)).stream().anyMatch(s -> s.contains(prefix))) {
            out.add(CLASSES.relativize(p).toString().replace('\\', '/'));
          }
        }
      }
    }
    return out;
  }

  private static List<String> utf8Constants(DataInputStream in) throws IOException {
    in.readInt(); // magic
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.add(in.readUTF());
        case 3, 4 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // long and double take two slots
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("unknown constant tag " + tag);
      }
    }
    return out;
  }
}
