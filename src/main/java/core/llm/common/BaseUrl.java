package core.llm.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A provider's base URL after normalisation: {@link #uri()} has no user info, so it can be logged
 * and shown; credentials given in the URL ({@code http://user:pass@host}) become {@link
 * #authorization()}, a Basic {@code Authorization} header value. Every way of giving a base URL
 * (options, environment, config file) goes through {@link OllamaHost#resolve} (Ollama's rules) or
 * {@link #absolute} (the OpenAI-compatible and Anthropic providers), so they all agree.
 *
 * @param uri scheme, host, port and path (no trailing slash); never user info, query or fragment
 * @param authorization {@code Basic <base64(user:password)>}, or null when the URL had no user info
 */
public record BaseUrl(URI uri, String authorization) {
  /** What a base URL may look like; every rejection message ends with it. */
  public static final String ACCEPTED_FORMS =
      "Accepted forms: host, host:port, :port, [::1]:port, http://host[:port][/path],"
          + " https://host[:port][/path], with optional credentials as http://user:password@host";

  private static final Pattern QUERY_VALUE = Pattern.compile("=[^&#]*");

  /** The URI as text, without user info. */
  @Override
  public String toString() {
    return uri.toString();
  }

  /** Equal to {@code toString()}: the form to log, to show, and to build request URLs from. */
  public String printable() {
    return uri.toString();
  }

  /**
   * An absolute {@code http(s)} base URL, for providers with no default port convention. A path is
   * kept (without its trailing slash); a query or fragment is rejected since request paths are
   * appended to the URL.
   *
   * @param what the setting named in errors, e.g. {@code "OpenAiOptions.baseUrl"}
   * @throws BadRequestException when the value is not such a URL; the message shows the accepted
   *     forms and never repeats the value (it may hold a password)
   */
  public static BaseUrl absolute(String value, String what) {
    String s = OllamaHost.trim(value);
    int sep = s.indexOf("://");
    if (sep < 0) {
      throw invalid(
          what,
          "it needs a scheme (http:// or https://)",
          "Accepted forms: http://host[:port][/path], https://host[:port][/path], with optional"
              + " credentials as https://user:password@host");
    }
    String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
    defaultPort(scheme, what);
    // no default port written in: the URL stays as the user gave it (the transport knows 80/443)
    return build(scheme, s.substring(sep + 3), null, false, what);
  }

  /**
   * {@code url} for messages and logs: user info removed, query values masked. Never throws:
   * something that does not parse is shown as {@code (unparseable URL)}.
   */
  public static String printable(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI u = new URI(url.strip());
      if (u.isOpaque()) {
        return "(unparseable URL)";
      }
      String query = u.getRawQuery();
      String masked = query == null ? null : QUERY_VALUE.matcher(query).replaceAll("=****");
      StringBuilder out = new StringBuilder();
      if (u.getScheme() != null) {
        out.append(u.getScheme()).append(':');
      }
      if (u.getRawAuthority() != null) {
        out.append("//").append(u.getHost() == null ? "" : hostPart(u.getHost()));
        if (u.getPort() >= 0) {
          out.append(':').append(u.getPort());
        }
      }
      out.append(u.getRawPath() == null ? "" : u.getRawPath());
      if (masked != null) {
        out.append('?').append(masked);
      }
      return out.toString();
    } catch (URISyntaxException e) {
      return "(unparseable URL)";
    }
  }

  static int defaultPort(String scheme, String what) {
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> throw invalid(what, "the scheme must be http or https", ACCEPTED_FORMS);
    };
  }

  /**
   * The shared tail of both parsers: {@code rest} is what follows {@code scheme://} (or the whole
   * value when there was no scheme).
   *
   * @param defaultPort written in when the value has none; null to leave the port out
   * @param loopbackForEmptyHost Ollama's rule: an empty or unspecified host means this machine
   */
  static BaseUrl build(
      String scheme, String rest, String defaultPort, boolean loopbackForEmptyHost, String what) {
    int end = indexOfAny(rest, "/?#");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    if (tail.indexOf('?') >= 0 || tail.indexOf('#') >= 0) {
      throw invalid(
          what,
          "a base URL takes no query (?...) or fragment (#...); request paths are"
              + " appended to it",
          ACCEPTED_FORMS);
    }
    String path = tail;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    // User info ends at the last '@' of the authority: a password may itself contain '@'.
    String authorization = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authorization = basic(authority.substring(0, at), what);
      authority = authority.substring(at + 1);
    }
    String[] hostPort = OllamaHost.hostAndPort(authority, loopbackForEmptyHost);
    if (hostPort[0].isEmpty()) {
      throw invalid(what, "it has no host", ACCEPTED_FORMS);
    }
    if (hostPort[1] == null) {
      hostPort[1] = defaultPort;
    } else if (!OllamaHost.validPort(hostPort[1])) {
      if (!loopbackForEmptyHost) {
        throw invalid(what, "the port must be a number from 0 to 65535", ACCEPTED_FORMS);
      }
      hostPort[1] = defaultPort; // Go's OLLAMA_HOST rule: a bad port means the default one
    }
    try {
      String port = hostPort[1] == null ? "" : ":" + hostPort[1];
      URI uri = new URI(scheme + "://" + hostPart(hostPort[0]) + port + path);
      if (uri.getHost() == null) {
        throw invalid(what, "the host is not a valid name or address", ACCEPTED_FORMS);
      }
      return new BaseUrl(uri, authorization);
    } catch (URISyntaxException e) {
      throw invalid(what, "it does not form a valid URL", ACCEPTED_FORMS);
    }
  }

  static BadRequestException invalid(String what, String why, String forms) {
    return new BadRequestException(
        "Invalid " + what + ": " + why + ". " + forms + ".", ErrorContext.NONE);
  }

  private static String basic(String userInfo, String what) {
    String decoded;
    try {
      // percent-decoding only: '+' is a literal plus in user info, unlike in a form
      decoded = URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(what, "its user info has a malformed %-escape", ACCEPTED_FORMS);
    }
    if (decoded.indexOf(':') < 0) {
      decoded = decoded + ":";
    }
    return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
  }

  private static String hostPart(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
