package core.llm.providers.ollama;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.spi.HttpCall;
import core.llm.providers.spi.HttpTransport;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The blob API: HEAD to ask, POST to upload, the digest computed while the file streams. */
final class Blobs {
  private static final Pattern DIGEST = Pattern.compile("^sha256[:-][0-9a-fA-F]{64}$");

  /** Builds a call with the client's timeouts and headers. */
  interface Calls {
    HttpCall call(HttpMethod method, String path, Object body);
  }

  private final Vertx vertx;
  private final HttpTransport transport;
  private final Calls calls;

  Blobs(Vertx vertx, HttpTransport transport, Calls calls) {
    this.vertx = vertx;
    this.transport = transport;
    this.calls = calls;
  }

  Future<Boolean> exists(String digest) {
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "A blob digest looks like sha256:<64 hex digits>, got: " + digest));
    }
    return transport
        .call(calls.call(HttpMethod.HEAD, "/api/blobs/" + digest, null))
        .map(body -> true)
        .recover(
            e ->
                e instanceof LlmException le && le.kind() == ErrorKind.NOT_FOUND
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(e));
  }

  Future<String> upload(Path file) {
    return digest(file)
        .compose(
            digest ->
                exists(digest)
                    .compose(
                        present ->
                            present
                                ? Future.succeededFuture(digest)
                                : post(file, digest).map(digest)));
  }

  private Future<Void> post(Path file, String digest) {
    String path = file.toString();
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props ->
                vertx
                    .fileSystem()
                    .open(path, new OpenOptions().setRead(true))
                    .compose(
                        asyncFile -> {
                          asyncFile.setReadBufferSize(64 * 1024);
                          HttpCall base = calls.call(HttpMethod.POST, "/api/blobs/" + digest, null);
                          MultiMap protocol =
                              MultiMap.caseInsensitiveMultiMap()
                                  .set(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
                                  .set(HttpHeaders.CONTENT_LENGTH, Long.toString(props.size()));
                          HttpCall upload =
                              new HttpCall(
                                  base.method(),
                                  base.path(),
                                  base.headers(),
                                  null,
                                  base.timeouts(),
                                  protocol);
                          return transport
                              .upload(upload, asyncFile)
                              .<Void>mapEmpty()
                              .eventually(asyncFile::close);
                        }));
  }

  /** SHA-256 read in slices on a worker thread: never whole in memory, never on the event loop. */
  Future<String> digest(Path file) {
    return vertx.executeBlocking(
        () -> {
          MessageDigest sha;
          try {
            sha = MessageDigest.getInstance("SHA-256");
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
          }
          byte[] slice = new byte[256 * 1024];
          try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(slice)) > 0) {
              sha.update(slice, 0, n);
            }
          } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
          }
          return "sha256:" + HexFormat.of().formatHex(sha.digest());
        },
        false);
  }
}
