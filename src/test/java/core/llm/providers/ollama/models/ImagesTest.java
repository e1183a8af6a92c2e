package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @Test
  void stripsDataUriPrefixes() {
    assertEquals("iVBORw0KGgo=", Images.fromBase64("data:image/png;base64,iVBORw0KGgo="));
    assertEquals("/9j/4AAQ", Images.fromBase64("DATA:image/jpeg;BASE64,/9j/4AAQ"));
    assertEquals("UklGRg==", Images.fromBase64("data:audio/wav;name=a.wav;base64,UklGRg=="));
    assertEquals("iVBORw0KGgo=", Images.fromBase64("  iVBORw0KGgo=\n"));
    assertThrows(IllegalArgumentException.class, () -> Images.fromBase64("data:text/plain,hello"));
  }

  @Test
  void encodesBytesAndFiles(@TempDir Path dir) throws Exception {
    assertEquals("AQID", Images.fromBytes(new byte[] {1, 2, 3}));
    Path f = dir.resolve("img.bin");
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
    assertEquals("/9j/", Images.fromPath(f));
    assertThrows(UncheckedIOException.class, () -> Images.fromPath(dir.resolve("missing.png")));
  }
}
