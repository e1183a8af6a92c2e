package core.llm.common;

import java.util.Base64;
import java.util.Objects;

/**
 * An image attached to a message: raw base64 (never a data URI) and its media type.
 *
 * @param base64 standard base64 of the image bytes, without a {@code data:} prefix
 * @param mediaType for example {@code image/png}; providers that need one (Anthropic, OpenAI data
 *     URLs) use it, Ollama ignores it
 */
public record ImageData(String base64, String mediaType) {
  public ImageData {
    Objects.requireNonNull(base64, "base64");
    if (base64.startsWith("data:")) {
      int comma = base64.indexOf(',');
      String header = base64.substring(5, Math.max(5, comma));
      if (mediaType == null && header.contains(";")) {
        mediaType = header.substring(0, header.indexOf(';'));
      }
      base64 = base64.substring(comma + 1);
    }
    if (mediaType == null) {
      mediaType = "image/png";
    }
  }

  public static ImageData of(byte[] bytes, String mediaType) {
    return new ImageData(Base64.getEncoder().encodeToString(bytes), mediaType);
  }

  /** From base64 or a data URI (the prefix is stripped and its media type kept). */
  public static ImageData of(String base64OrDataUri) {
    return new ImageData(base64OrDataUri, null);
  }
}
