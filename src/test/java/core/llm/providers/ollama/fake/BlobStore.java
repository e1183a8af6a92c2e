package core.llm.providers.ollama.fake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Blob store of /api/blobs: only digest and size are kept (uploads are hashed as they stream in,
 * never buffered). Digests are stored in the canonical {@code sha256:<hex>} lower-case form.
 */
public final class BlobStore {
  private static final Pattern DIGEST = Pattern.compile("^sha256[:-][0-9a-fA-F]{64}$");
  private final Map<String, Long> sizes = new ConcurrentHashMap<>();

  static boolean valid(String digest) {
    return digest != null && DIGEST.matcher(digest).matches();
  }

  static String canonical(String digest) {
    return "sha256:" + digest.substring(7).toLowerCase();
  }

  public boolean has(String digest) {
    return valid(digest) && sizes.containsKey(canonical(digest));
  }

  /** Size of a stored blob, or -1. */
  public long size(String digest) {
    return valid(digest) ? sizes.getOrDefault(canonical(digest), -1L) : -1L;
  }

  public void put(String digest, long size) {
    sizes.put(canonical(digest), size);
  }

  public int count() {
    return sizes.size();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(MessageDigest md) {
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}
