package core.llm.providers.ollama.models;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server version from /api/version, for feature gating. Pre-releases sort before their release
 * (0.33.0-rc2 &lt; 0.33.0), numeric parts of pre-release tags compare as numbers (rc2 &lt; rc10).
 * {@code 0.0.0} is a development build, built from main: {@link #isAtLeast} treats it as new enough
 * for anything, while {@link #compareTo} keeps the plain numeric order.
 */
public final class OllamaVersion implements Comparable<OllamaVersion> {

  private static final Pattern VERSION =
      Pattern.compile(
          "^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?$");
  private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

  private final int major;
  private final int minor;
  private final int patch;
  private final String preRelease;
  private final String text;

  private OllamaVersion(int major, int minor, int patch, String preRelease, String text) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.preRelease = preRelease;
    this.text = text;
  }

  public static OllamaVersion parse(String text) {
    Matcher m = VERSION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an Ollama version: \"" + text + "\"");
    }
    return new OllamaVersion(
        num(m.group(1)), num(m.group(2)), num(m.group(3)), m.group(4), text.trim());
  }

  private static int num(String s) {
    return s == null ? 0 : Integer.parseInt(s);
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  public int patch() {
    return patch;
  }

  public boolean isPreRelease() {
    return preRelease != null;
  }

  public boolean isDevelopment() {
    return major == 0 && minor == 0 && patch == 0 && preRelease == null;
  }

  public boolean isAtLeast(String version) {
    return isAtLeast(parse(version));
  }

  public boolean isAtLeast(OllamaVersion other) {
    return isDevelopment() || compareTo(other) >= 0;
  }

  @Override
  public int compareTo(OllamaVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease == null || o.preRelease == null) {
      return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
    }
    return comparePre(preRelease, o.preRelease);
  }

  private static int comparePre(String a, String b) {
    Matcher ma = CHUNK.matcher(a);
    Matcher mb = CHUNK.matcher(b);
    while (true) {
      boolean ha = ma.find();
      boolean hb = mb.find();
      if (!ha || !hb) {
        return Boolean.compare(ha, hb);
      }
      String ca = ma.group();
      String cb = mb.group();
      boolean da = Character.isDigit(ca.charAt(0));
      boolean db = Character.isDigit(cb.charAt(0));
      int c =
          da && db
              ? new java.math.BigInteger(ca).compareTo(new java.math.BigInteger(cb))
              : da != db ? (da ? -1 : 1) : ca.compareTo(cb);
      if (c != 0) {
        return c;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OllamaVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(major, minor, patch, preRelease);
  }

  @Override
  public String toString() {
    return text;
  }
}
