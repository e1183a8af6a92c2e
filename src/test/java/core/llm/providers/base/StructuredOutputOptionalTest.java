package core.llm.providers.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import core.llm.common.CompletionRequest;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.mock.MockReply;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** generateJson into a record whose Optional components the schema leaves optional. */
class StructuredOutputOptionalTest {
  record Title(String title, Optional<String> subtitle, Optional<Integer> year) {}

  private final Vertx vertx = Vertx.vertx();
  private final MockProvider mock = MockProvider.create(vertx, "mock");

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Title ask(String reply) {
    mock.nextReply(MockReply.text(reply));
    return mock.generateJson(CompletionRequest.builder("m").user("a title").build(), Title.class)
        .await();
  }

  @Test
  void presentAbsentAndNullOptionalComponents() {
    assertEquals(
        new Title("Dune", Optional.of("Part one"), Optional.of(2021)),
        ask("{\"title\":\"Dune\",\"subtitle\":\"Part one\",\"year\":2021}"));
    assertEquals(
        new Title("Dune", Optional.empty(), Optional.empty()), ask("{\"title\":\"Dune\"}"));
    assertEquals(
        new Title("Dune", Optional.empty(), Optional.empty()),
        ask("{\"title\":\"Dune\",\"subtitle\":null,\"year\":null}"));
  }

  @Test
  void theSchemaRequiresOnlyTheMandatoryComponent() {
    var schema = JsonSchemas.of(Title.class);
    assertEquals(List.of("title"), List.of(schema.path("required").get(0).asText()));
    assertEquals(1, schema.path("required").size());
    assertFalse(schema.path("properties").path("subtitle").isMissingNode());
  }
}
