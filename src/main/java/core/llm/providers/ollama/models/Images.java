package core.llm.providers.ollama.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns image (or audio) bytes into the bare base64 the server wants in {@code images}. A data-URI
 * prefix is a 400 ({@code illegal base64 data at input byte 4}), so it is stripped.
 */
public final class Images {

  private static final Pattern DATA_URI = Pattern.compile("(?is)^data:[^,]*?;base64,(.*)$");

  private Images() {}

  public static String fromBytes(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Reads the whole file: blocking I/O, so call it off the event loop. */
  public static String fromPath(Path path) {
    try {
      return fromBytes(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + path, e);
    }
  }

  /** Accepts bare base64 or a {@code data:<mime>;base64,} URI and returns bare base64. */
  public static String fromBase64(String base64OrDataUri) {
    String s = base64OrDataUri.strip();
    if (s.regionMatches(true, 0, "data:", 0, 5)) {
      Matcher m = DATA_URI.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("only base64 data URIs are supported");
      }
      return m.group(1).strip();
    }
    return s;
  }
}
