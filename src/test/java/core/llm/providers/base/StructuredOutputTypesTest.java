package core.llm.providers.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.BadRequestException;
import core.llm.common.CompletionRequest;
import core.llm.common.InternalErrorException;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.mock.MockReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** generateJson with generic records and java.time values: a value or a failed Future, no throw. */
class StructuredOutputTypesTest {
  record Box<T>(T value) {}

  record Holder(Box<String> label) {}

  record Page<T>(List<T> items) {}

  record When(Instant at, UUID id, LocalDate day, OffsetDateTime local) {}

  private final Vertx vertx = Vertx.vertx();
  private final MockProvider mock = MockProvider.create(vertx, "mock");
  private final CompletionRequest request = CompletionRequest.builder("m").user("x").build();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aGenericRecordIsAskedForAndRead() {
    mock.nextReply(MockReply.text("{\"label\":{\"value\":\"a\"}}"));
    assertEquals(new Holder(new Box<>("a")), mock.generateJson(request, Holder.class).await());

    mock.nextReply(MockReply.text("{\"items\":[1,\"two\"]}"));
    Future<Page> page = mock.generateJson(request, Page.class);
    assertEquals(List.of(1, "two"), page.await().items());
    assertEquals(
        "{\"type\":\"array\",\"items\":{}}",
        mock.lastRequest().responseFormat().schema().path("properties").path("items").toString());
  }

  @Test
  void timeValuesAreAskedForAsStringsAndRead() {
    mock.nextReply(
        MockReply.text(
            "{\"at\":\"2026-01-02T03:04:05Z\",\"id\":\"0b9e5f7c-1d2e-4f3a-8b4c-5d6e7f8a9b0c\","
                + "\"day\":\"2026-01-02\",\"local\":\"2026-01-02T03:04:05+02:00\"}"));
    When when = mock.generateJson(request, When.class).await();
    assertEquals(Instant.parse("2026-01-02T03:04:05Z"), when.at());
    assertEquals(UUID.fromString("0b9e5f7c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"), when.id());
    assertEquals(LocalDate.of(2026, 1, 2), when.day());
    assertEquals(
        Instant.parse("2026-01-02T01:04:05Z"), when.local().toInstant(), "the same instant");
    assertEquals(
        "date-time",
        mock.lastRequest()
            .responseFormat()
            .schema()
            .path("properties")
            .path("at")
            .path("format")
            .asText());
  }

  @Test
  void noTypeIsAFailedFutureNotAThrow() {
    Future<Object> f = mock.generateJson(request, (Class<Object>) null);
    assertTrue(f.failed());
    assertInstanceOf(BadRequestException.class, f.cause());
    assertTrue(mock.requests().isEmpty(), "nothing was sent");
  }

  @Test
  void aProviderThatThrowsGivesAFailedFuture() {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          if (method.getName().equals("name")) {
            return "thrower";
          }
          throw new IllegalStateException("a bug in " + method.getName());
        };
    LlmProvider thrower =
        (LlmProvider)
            Proxy.newProxyInstance(
                LlmProvider.class.getClassLoader(), new Class<?>[] {LlmProvider.class}, handler);
    Future<Holder> f = thrower.generateJson(request, Holder.class);
    assertTrue(f.failed());
    assertInstanceOf(InternalErrorException.class, f.cause());
    assertInstanceOf(IllegalStateException.class, f.cause().getCause());
  }
}
