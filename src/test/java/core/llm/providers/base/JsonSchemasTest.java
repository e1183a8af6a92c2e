package core.llm.providers.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The neutral schema of a Java type, compared as a JSON tree against literal expected JSON. */
class JsonSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Status {
    @JsonProperty("in_progress")
    IN_PROGRESS,
    DONE
  }

  record When(Instant at, UUID id, LocalDate day, OffsetDateTime local, LocalTime time) {}

  record Extras(Duration delay, URI link) {}

  record City(String name, int population) {}

  record Event(
      @JsonProperty("event_id") String id,
      Status status,
      City where,
      List<City> stops,
      Map<String, Integer> counts,
      Set<String> tags,
      double[] scores,
      Optional<String> note,
      Optional<City> alternative,
      OptionalInt rank) {}

  record Box<T>(T value) {}

  record Holder(Box<String> label, Box<Integer> count) {}

  record Page<T>(List<T> items) {}

  record CityPage(Page<City> page) {}

  record Tree(String label, List<Tree> children) {}

  /** A plain class: public fields and getter-backed private fields, as Jackson sees them. */
  static class Plain {
    public String title;
    @JsonIgnore public String secret;
    private int pages;

    public int getPages() {
      return pages;
    }
  }

  private static void assertSchema(String expected, Class<?> type) throws Exception {
    JsonNode actual = JsonSchemas.of(type);
    assertEquals(JSON.readTree(expected), actual, actual.toPrettyString());
  }

  @Test
  void timeAndIdentifierTypesAreFormattedStrings() throws Exception {
    assertSchema(
        """
        {"type":"object","properties":{
           "at":{"type":"string","format":"date-time"},
           "id":{"type":"string","format":"uuid"},
           "day":{"type":"string","format":"date"},
           "local":{"type":"string","format":"date-time"},
           "time":{"type":"string","format":"time"}},
         "required":["at","id","day","local","time"],
         "additionalProperties":false}
        """,
        When.class);
    assertSchema(
        """
        {"type":"object","properties":{
           "delay":{"type":"string","format":"duration"},
           "link":{"type":"string","format":"uri"}},
         "required":["delay","link"],
         "additionalProperties":false}
        """,
        Extras.class);
  }

  @Test
  void enumsNestedRecordsCollectionsMapsOptionalsAndRenames() throws Exception {
    assertSchema(
        """
        {"$defs":{"City":{"type":"object","properties":{
             "name":{"type":"string"},"population":{"type":"integer"}},
           "required":["name","population"],"additionalProperties":false}},
         "type":"object","properties":{
           "event_id":{"type":"string"},
           "status":{"type":"string","enum":["in_progress","DONE"]},
           "where":{"$ref":"#/$defs/City"},
           "stops":{"type":"array","items":{"$ref":"#/$defs/City"}},
           "counts":{"type":"object","additionalProperties":{"type":"integer"}},
           "tags":{"type":"array","items":{"type":"string"}},
           "scores":{"type":"array","items":{"type":"number"}},
           "note":{"type":["string","null"]},
           "alternative":{"anyOf":[{"type":"null"},{"$ref":"#/$defs/City"}]},
           "rank":{"type":["integer","null"]}},
         "required":["event_id","status","where","stops","counts","tags","scores"],
         "additionalProperties":false}
        """,
        Event.class);
  }

  @Test
  void genericRecordsResolveTheirTypeArguments() throws Exception {
    assertSchema(
        """
        {"type":"object","properties":{
           "label":{"type":"object","properties":{"value":{"type":"string"}},
             "required":["value"],"additionalProperties":false},
           "count":{"type":"object","properties":{"value":{"type":"integer"}},
             "required":["value"],"additionalProperties":false}},
         "required":["label","count"],"additionalProperties":false}
        """,
        Holder.class);
    assertSchema(
        """
        {"type":"object","properties":{
           "page":{"type":"object","properties":{
             "items":{"type":"array","items":{"type":"object","properties":{
               "name":{"type":"string"},"population":{"type":"integer"}},
               "required":["name","population"],"additionalProperties":false}}},
             "required":["items"],"additionalProperties":false}},
         "required":["page"],"additionalProperties":false}
        """,
        CityPage.class);
  }

  @Test
  void anUnresolvedTypeVariableIsAnyValue() throws Exception {
    assertSchema(
        """
        {"type":"object","properties":{"items":{"type":"array","items":{}}},
         "required":["items"],"additionalProperties":false}
        """,
        Page.class);
  }

  @Test
  void recursiveAndPlainClasses() throws Exception {
    assertSchema(
        """
        {"type":"object","properties":{
           "label":{"type":"string"},
           "children":{"type":"array","items":{"$ref":"#"}}},
         "required":["label","children"],"additionalProperties":false}
        """,
        Tree.class);
    assertSchema(
        """
        {"type":"object","properties":{"title":{"type":"string"},"pages":{"type":"integer"}},
         "required":["title","pages"],"additionalProperties":false}
        """,
        Plain.class);
  }

  @Test
  void scalarsAndNoType() throws Exception {
    assertSchema("{\"type\":\"string\"}", String.class);
    assertSchema("{\"type\":\"string\",\"enum\":[\"in_progress\",\"DONE\"]}", Status.class);
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.of(null));
  }
}
