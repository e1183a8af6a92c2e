package core.llm.providers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-provider {@code http} block: binding, validation messages with paths, no secrets. */
class HttpConfigTest {
  private static final String PLANTED = "PLANTED-proxy-pass-0xc0ffee";

  @TempDir Path dir;

  private static ConfigLoadResult parse(String http, Map<String, String> env) {
    String yaml =
        """
        providers:
          - name: gpu
            type: ollama
            baseUrl: http://127.0.0.1:11434
            http:
        """
            + http.stripIndent().lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n");
    return ConfigLoader.create(env, null).parse(yaml, ConfigFormat.YAML);
  }

  private static ConfigLoadResult parse(String http) {
    return parse(http, Map.of());
  }

  private static String message(ConfigLoadResult r, String path) {
    List<ConfigProblem> at = r.report().at(path);
    assertFalse(at.isEmpty(), "no problem at " + path + " in " + r.report());
    return at.get(0).message();
  }

  @Test
  void aFullBlockBinds() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    ConfigLoadResult r =
        parse(
            """
            maxPoolSize: 256
            http2MaxPoolSize: 3
            http2: true
            h2cPriorKnowledge: false
            headers: {X-Team: search}
            headersEnv: {X-Gateway-Token: GW_TOKEN}
            proxy: {host: proxy.corp, port: 3128, type: socks5, username: svc, passwordEnv: PROXY_PASS}
            tls:
              trustStore: %s
              certificate: %s
              key: %s
            """
                .formatted(ca, cert, key),
            Map.of("PROXY_PASS", PLANTED, "GW_TOKEN", PLANTED));
    assertTrue(r.isValid(), r.report().toString());
    assertTrue(r.report().warnings().isEmpty(), r.report().toString());
    HttpConfig h = r.config().providers().get(0).http();
    assertEquals(256, h.maxPoolSize());
    assertEquals(3, h.http2MaxPoolSize());
    assertEquals(true, h.http2());
    assertEquals(Map.of("X-Team", "search"), h.headers());
    assertEquals(Map.of("X-Gateway-Token", "GW_TOKEN"), h.headersEnv());
    assertEquals(
        new HttpConfig.Proxy("proxy.corp", 3128, "socks5", "svc", "PROXY_PASS"), h.proxy());
    assertEquals(ca.toString(), h.tls().trustStore());
    // printed forms: names of variables, never values
    String shown = r.config().toString() + ConfigLoader.toJson(r.config());
    assertFalse(shown.contains(PLANTED));
    assertTrue(ConfigLoader.toJson(r.config()).contains("\"maxPoolSize\" : 256"));
  }

  @Test
  void noBlockMeansDefaults() {
    ConfigLoadResult r =
        ConfigLoader.create(Map.of(), null)
            .parse(
                "providers: [{name: gpu, type: ollama, baseUrl: 'http://127.0.0.1:11434'}]",
                ConfigFormat.YAML);
    assertTrue(r.isValid(), r.report().toString());
    assertTrue(r.config().providers().get(0).http().isEmpty());
    assertFalse(ConfigLoader.toJson(r.config()).contains("\"http\""));
  }

  @Test
  void poolSizesMustBeWholeNumbersOfAtLeastOne() {
    assertEquals(
        "must be a whole number >= 1",
        message(parse("maxPoolSize: 0"), "providers[0].http.maxPoolSize"));
    assertEquals(
        "must be a whole number >= 1",
        message(parse("maxPoolSize: lots"), "providers[0].http.maxPoolSize"));
    assertEquals(
        "must be a whole number >= 1",
        message(parse("http2MaxPoolSize: 1.5"), "providers[0].http.http2MaxPoolSize"));
    assertEquals(
        "providers[0].http.maxPoolSize: must be a whole number >= 1",
        parse("maxPoolSize: -3").report().errors().get(0).toString().replaceFirst("^ERROR ", ""));
  }

  @Test
  void unknownKeysAreReportedWithASuggestion() {
    String m = message(parse("maxPoolsize: 256"), "providers[0].http.maxPoolsize");
    assertTrue(m.startsWith("unknown key (did you mean 'maxPoolSize'?)"), m);
    assertTrue(
        message(parse("proxy: {host: p, port: 1, hots: x}"), "providers[0].http.proxy.hots")
            .startsWith("unknown key"));
    assertTrue(
        message(parse("tls: {trustAl: true}"), "providers[0].http.tls.trustAl")
            .contains("did you mean 'trustAll'"));
  }

  @Test
  void credentialsDoNotBelongInTheFile() {
    ConfigLoadResult r = parse("headers: {Authorization: Bearer " + PLANTED + "}");
    String m = message(r, "providers[0].http.headers[\"Authorization\"]");
    assertTrue(m.contains("headersEnv"), m);
    assertFalse(r.report().toString().contains(PLANTED));
    assertTrue(
        message(parse("headers: {X-Api-Key: abc}"), "providers[0].http.headers[\"X-Api-Key\"]")
            .startsWith("credentials do not belong in the file"));
    // a secret pasted where a variable name belongs is not echoed
    ConfigLoadResult pasted =
        parse("proxy: {host: p, port: 3128, username: u, passwordEnv: " + PLANTED + "}");
    assertTrue(
        message(pasted, "providers[0].http.proxy.passwordEnv")
            .startsWith("does not look like an environment variable name"));
    assertFalse(pasted.report().toString().contains(PLANTED));
  }

  @Test
  void unsetSecretVariablesAreWarnings() {
    ConfigLoadResult r =
        parse(
            """
            headersEnv: {X-Token-Id: NOT_SET_1}
            proxy: {host: p, port: 3128, username: u, passwordEnv: NOT_SET_2}
            """);
    assertTrue(r.isValid(), r.report().toString());
    assertEquals(
        "environment variable NOT_SET_1 is not set",
        message(r, "providers[0].http.headersEnv[\"X-Token-Id\"]"));
    assertEquals(
        "environment variable NOT_SET_2 is not set",
        message(r, "providers[0].http.proxy.passwordEnv"));
  }

  @Test
  void proxyAndTlsAreChecked() throws Exception {
    assertEquals("required", message(parse("proxy: {port: 3128}"), "providers[0].http.proxy.host"));
    assertEquals("required", message(parse("proxy: {host: p}"), "providers[0].http.proxy.port"));
    assertEquals(
        "must be a port number (1 to 65535)",
        message(parse("proxy: {host: p, port: 70000}"), "providers[0].http.proxy.port"));
    assertTrue(
        message(parse("proxy: {host: p, port: 1, type: ftp}"), "providers[0].http.proxy.type")
            .contains("Available: [HTTP, SOCKS4, SOCKS5]"));
    assertTrue(
        message(parse("tls: {trustStore: /nonexistent/ca.pem}"), "providers[0].http.tls.trustStore")
            .startsWith("cannot read"));
    Path jks = Files.writeString(dir.resolve("ca.jks"), "x");
    assertEquals(
        "required for a JKS trust store (the variable holding its password)",
        message(
            parse("tls: {trustStore: " + jks + "}"),
            "providers[0].http.tls.trustStorePasswordEnv"));
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    assertEquals(
        "a client certificate needs both certificate and key",
        message(parse("tls: {certificate: " + cert + "}"), "providers[0].http.tls.key"));
    ConfigLoadResult all = parse("tls: {trustAll: true}");
    assertTrue(all.isValid());
    assertTrue(
        message(all, "providers[0].http.tls.trustAll").contains("not verified"),
        all.report().toString());
    assertTrue(
        message(parse("tls: {trustStoreType: DER}"), "providers[0].http.tls.trustStoreType")
            .contains("Available: [JKS, PEM, PKCS12]"));
    assertEquals(
        "not a valid header name",
        message(parse("headers: {'X A': b}"), "providers[0].http.headers[\"X A\"]"));
    assertTrue(message(parse("http2: maybe"), "providers[0].http.http2").contains("true or false"));
    assertNull(parse("maxPoolSize: 8").config().providers().get(0).http().proxy());
  }
}
