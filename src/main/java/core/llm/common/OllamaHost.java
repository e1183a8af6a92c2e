package core.llm.common;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses an {@code OLLAMA_HOST} value into a base URL the way the official Go client does, plus the
 * "connectable host" mapping of unspecified bind addresses to loopback.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>Input</th><th>Result</th></tr>
 *   <tr><td>null, empty, blank</td><td>{@code http://127.0.0.1:11434}</td></tr>
 *   <tr><td>{@code 1.2.3.4}</td><td>{@code http://1.2.3.4:11434}</td></tr>
 *   <tr><td>{@code :1234}</td><td>{@code http://127.0.0.1:1234} (Go keeps the empty host; an
 *       empty host means "all interfaces", which we map to loopback like {@code 0.0.0.0})</td></tr>
 *   <tr><td>{@code example.com[:1234]}</td><td>{@code http://example.com:11434} / {@code :1234}</td></tr>
 *   <tr><td>{@code http://example.com}</td><td>{@code http://example.com:80}</td></tr>
 *   <tr><td>{@code https://example.com/ollama/}</td><td>{@code https://example.com:443/ollama}</td></tr>
 *   <tr><td>{@code ollama.com} (bare)</td><td>{@code https://ollama.com:443}</td></tr>
 *   <tr><td>{@code ::1}, {@code [::1]}</td><td>{@code http://[::1]:11434}</td></tr>
 *   <tr><td>{@code 0.0.0.0}; {@code ::}, {@code [::]}</td><td>{@code http://127.0.0.1:11434};
 *       {@code http://[::1]:11434}</td></tr>
 *   <tr><td>bad port ({@code :66000}, {@code host:abc})</td><td>the default port</td></tr>
 * </table>
 *
 * User info ({@code http://user:pass@host}) is taken out of the URL and becomes a Basic {@code
 * Authorization} header ({@link BaseUrl#authorization()}); it never appears in the URI. A query or
 * fragment, or a scheme other than http(s), is rejected with a {@link BadRequestException} that
 * shows the accepted forms ({@link BaseUrl#ACCEPTED_FORMS}).
 *
 * <p>Surrounding spaces and quotes are trimmed. A scheme given without a port defaults to 80 (http)
 * or 443 (https); otherwise the port is 11434. A path is kept without its trailing slash. Never
 * performs a DNS lookup.
 */
public final class OllamaHost {
  /** The environment variable name. */
  public static final String ENV = "OLLAMA_HOST";

  /** Ollama's default port. */
  public static final int DEFAULT_PORT = 11434;

  /** Where Ollama listens by default. */
  public static final URI DEFAULT = URI.create("http://127.0.0.1:" + DEFAULT_PORT);

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private OllamaHost() {}

  /** {@link #parse(String)} of {@code env.apply("OLLAMA_HOST")}. */
  public static URI fromEnv(Function<String, String> env) {
    return parse(env == null ? null : env.apply(ENV));
  }

  /**
   * Parses an {@code OLLAMA_HOST} value (see the class table) into its printable URI: user info is
   * left out (see {@link #resolve(String, String)} for the credentials).
   *
   * @throws BadRequestException when the value cannot be a base URL (a query or fragment, a scheme
   *     other than http(s), no valid host); the message shows the accepted forms but never repeats
   *     the value
   */
  public static URI parse(String value) {
    return resolve(value, ENV).uri();
  }

  /**
   * Parses a base URL given to Ollama in any way (environment, options, config file) by the rules
   * of the class table. {@code what} names the setting in errors.
   */
  public static BaseUrl resolve(String value, String what) {
    String s = trim(value);
    if (s.isEmpty()) {
      return new BaseUrl(DEFAULT, null);
    }
    int sep = s.indexOf("://");
    if (sep < 0) {
      if (s.equalsIgnoreCase("ollama.com")) {
        return BaseUrl.build("https", "ollama.com:443", "443", true, what);
      }
      return BaseUrl.build("http", s, String.valueOf(DEFAULT_PORT), true, what);
    }
    String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
    int port = BaseUrl.defaultPort(scheme, what);
    return BaseUrl.build(scheme, s.substring(sep + 3), String.valueOf(port), true, what);
  }

  /**
   * Splits an authority without user info into host and port (null when absent), by Go's
   * net.SplitHostPort; with {@code connectable}, unspecified addresses become loopback.
   */
  static String[] hostAndPort(String hostport, boolean connectable) {
    String host;
    String port;
    String[] hp = splitHostPort(hostport);
    if (hp != null) {
      host = hp[0];
      port = hp[1];
    } else {
      port = null;
      String bare = stripBrackets(hostport);
      host = isIpLiteral(bare) ? bare : hostport;
    }
    if (connectable) {
      host = connectable(host);
    } else if (isIpv6Literal(host)) {
      host = host.toLowerCase(Locale.ROOT);
    }
    return new String[] {host, port};
  }

  static String trim(String value) {
    if (value == null) {
      return "";
    }
    String s = value.strip();
    int b = 0;
    int e = s.length();
    while (b < e && (s.charAt(b) == '"' || s.charAt(b) == '\'')) {
      b++;
    }
    while (e > b && (s.charAt(e - 1) == '"' || s.charAt(e - 1) == '\'')) {
      e--;
    }
    return s.substring(b, e).strip();
  }

  /** Go's net.SplitHostPort: null when there is no port part or the form is ambiguous. */
  private static String[] splitHostPort(String hp) {
    if (hp.startsWith("[")) {
      int close = hp.indexOf(']');
      if (close < 0 || close + 1 >= hp.length() || hp.charAt(close + 1) != ':') {
        return null;
      }
      return new String[] {hp.substring(1, close), hp.substring(close + 2)};
    }
    int colon = hp.lastIndexOf(':');
    if (colon < 0 || hp.indexOf(':') != colon) {
      return null; // no port, or an unbracketed IPv6 literal ("too many colons")
    }
    return new String[] {hp.substring(0, colon), hp.substring(colon + 1)};
  }

  static boolean validPort(String port) {
    if (port.isEmpty() || port.length() > 6) {
      return false;
    }
    for (int i = 0; i < port.length(); i++) {
      if (!Character.isDigit(port.charAt(i))) {
        return false;
      }
    }
    return Integer.parseInt(port) <= 65535;
  }

  private static String stripBrackets(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '[') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == ']') {
      e--;
    }
    return s.substring(b, e);
  }

  private static boolean isIpLiteral(String s) {
    return IPV4.matcher(s).matches() || isIpv6Literal(s);
  }

  private static boolean isIpv6Literal(String s) {
    if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      // A string with ':' made only of hex digits, ':' and '.' is parsed as a literal: no lookup.
      return InetAddress.getByName(s) instanceof Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Maps unspecified bind addresses (and an empty host) to loopback. */
  private static String connectable(String host) {
    if (host.isEmpty() || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    if (isIpv6Literal(host)) {
      try {
        if (InetAddress.getByName(host).isAnyLocalAddress()) {
          return "::1";
        }
      } catch (UnknownHostException e) {
        // not reached: checked above
      }
      return host.toLowerCase(Locale.ROOT);
    }
    return host;
  }
}
