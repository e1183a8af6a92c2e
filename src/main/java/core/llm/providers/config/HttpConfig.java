package core.llm.providers.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code http} block of a provider: how its HTTP client connects. Every field is optional;
 * absent (null) means the provider's default. Secrets are only ever names of environment variables
 * ({@code passwordEnv}, {@code trustStorePasswordEnv}, {@code headersEnv} values), resolved when
 * the provider is created, never printed.
 *
 * <pre>{@code
 * - name: gateway
 *   type: openai
 *   http:
 *     maxPoolSize: 256            # HTTP/1.1 connections (= concurrent streams); default 64
 *     http2: true                 # HTTP/2 where the server supports it (ALPN); default false
 *     http2MaxPoolSize: 2         # HTTP/2 connections; default maxPoolSize / 100, at least 1
 *     h2cPriorKnowledge: false    # plain-http HTTP/2 without the upgrade; default false
 *     headers: {X-Team: search}   # sent with every request; protocol headers still win
 *     headersEnv: {X-Gateway-Token: GATEWAY_TOKEN}   # header value from an environment variable
 *     proxy: {host: proxy.corp, port: 3128, type: HTTP, username: svc, passwordEnv: PROXY_PASSWORD}
 *     tls:
 *       trustStore: /etc/ssl/corp-ca.pem   # PEM, .jks or .p12/.pfx
 *       trustStoreType: PEM                # default: from the file name
 *       trustStorePasswordEnv: TRUST_PASS  # JKS / PKCS12 only
 *       certificate: client.pem            # client certificate (PEM) for mutual TLS
 *       key: client-key.pem                # its private key (PEM)
 *       trustAll: false                    # true: no certificate checks (tests only; warned)
 * }</pre>
 *
 * @param headers literal header values (never credentials: names that look like one are rejected)
 * @param headersEnv header name → name of the environment variable holding its value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpConfig(
    Integer maxPoolSize,
    Integer http2MaxPoolSize,
    Boolean http2,
    Boolean h2cPriorKnowledge,
    Map<String, String> headers,
    Map<String, String> headersEnv,
    Proxy proxy,
    Tls tls) {

  /** The key of this block in a provider entry. */
  public static final String KEY = "http";

  /** No block: every default. */
  public static final HttpConfig NONE =
      new HttpConfig(null, null, null, null, null, null, null, null);

  public HttpConfig {
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    headersEnv =
        headersEnv == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(headersEnv));
  }

  /** Whether nothing is set. */
  @JsonIgnore
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * A proxy.
   *
   * @param type {@code HTTP} (CONNECT, default), {@code SOCKS4} or {@code SOCKS5}
   * @param passwordEnv name of the environment variable holding the proxy password
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Proxy(
      String host, Integer port, String type, String username, String passwordEnv) {}

  /**
   * TLS settings.
   *
   * @param trustStore path of a PEM file, JKS or PKCS#12 store with the certificates to trust
   *     (instead of the JVM's)
   * @param trustStoreType {@code PEM}, {@code JKS} or {@code PKCS12}; null: from the file name
   * @param trustStorePasswordEnv name of the environment variable holding the store's password
   * @param certificate client certificate chain (PEM) for mutual TLS
   * @param key the client certificate's private key (PEM)
   * @param trustAll accept any certificate and host name (tests only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tls(
      String trustStore,
      String trustStoreType,
      String trustStorePasswordEnv,
      String certificate,
      String key,
      Boolean trustAll) {}

  @Override
  public String toString() {
    return "HttpConfig[maxPoolSize="
        + maxPoolSize
        + ", http2MaxPoolSize="
        + http2MaxPoolSize
        + ", http2="
        + http2
        + ", h2cPriorKnowledge="
        + h2cPriorKnowledge
        + ", headers="
        + headers.keySet()
        + ", headersEnv="
        + headersEnv.keySet()
        + ", proxy="
        + proxy
        + ", tls="
        + tls
        + "]";
  }
}
