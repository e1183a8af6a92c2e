package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A field a newer server adds survives a read and a write, in every record: it is kept in {@code
 * extra} and written back where it was (nested records included).
 */
class WireLiteralUnknownFieldsTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(
            ListModel.class,
            """
            {"name":"m","model":"m","size":1,"details":{"family":"llama","families":null,"new_detail":7},"future":"x"}
            """),
        Arguments.of(
            ProcessModel.class,
            """
            {"name":"m","size":2,"size_vram":1,"details":{"families":null,"bits":4},"future":[1,2]}
            """),
        Arguments.of(ModelDetails.class, "{\"families\":[\"llama\"],\"future\":{\"a\":true}}"),
        Arguments.of(
            ProgressResponse.class, "{\"status\":\"pulling\",\"total\":10,\"future\":\"x\"}"),
        Arguments.of(ErrorResponse.class, "{\"error\":\"boom\",\"code\":\"E42\"}"),
        Arguments.of(VersionResponse.class, "{\"version\":\"0.22.0\",\"commit\":\"abc\"}"),
        Arguments.of(
            StatusResponse.class,
            "{\"cloud\":{\"disabled\":false,\"source\":\"env\",\"region\":\"eu\"},\"gpu\":1}"),
        Arguments.of(CloudStatus.class, "{\"disabled\":true,\"region\":\"eu\"}"),
        Arguments.of(
            Tool.class,
            """
            {"type":"function","strict":true,"function":{"name":"f","cache":1,
              "parameters":{"type":"object","additionalProperties":false,
                "properties":{"x":{"type":"integer","minimum":3}}}}}
            """),
        Arguments.of(
            MessageToolCall.class,
            "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"index\":0,\"name\":\"f\","
                + "\"arguments\":{\"a\":1},\"future\":2}}"),
        Arguments.of(
            Logprob.class,
            """
            {"token":"a","logprob":-0.5,"bytes":[97],"rank":1,
             "top_logprobs":[{"token":"b","logprob":-1.5,"bytes":[98],"rank":2}]}
            """),
        Arguments.of(
            EmbeddingsRequest.class,
            "{\"model\":\"e\",\"prompt\":\"hi\",\"truncate\":true,\"keep_alive\":\"5m\"}"),
        Arguments.of(EmbeddingsResponse.class, "{\"embedding\":[0.5,-1],\"model\":\"e\"}"));
  }

  @ParameterizedTest
  @MethodSource("records")
  void unknownFieldsSurviveAReadAndAWrite(Class<?> type, String json) throws Exception {
    Object value = PLAIN.readValue(json, type);
    assertEquals(PLAIN.readTree(json), PLAIN.readTree(PLAIN.writeValueAsString(value)), json);
  }

  @Test
  void theExtraMapHoldsThem() throws Exception {
    ErrorResponse e = PLAIN.readValue("{\"error\":\"boom\",\"code\":\"E42\"}", ErrorResponse.class);
    assertEquals(Map.of("code", "E42"), e.extra());
    // the constructors without extra still work, and write nothing more
    assertEquals("{\"error\":\"boom\"}", PLAIN.writeValueAsString(new ErrorResponse("boom", null)));
    assertEquals(Map.of(), new VersionResponse("1").extra());
    ListModel m =
        PLAIN.readValue(
            "{\"name\":\"m\",\"details\":{\"families\":null,\"bits\":4}}", ListModel.class);
    assertEquals(Map.of("bits", 4), m.details().extra());
    assertEquals(
        List.of("x"),
        PLAIN
            .readValue("{\"id\":\"c\",\"tags\":[\"x\"]}", MessageToolCall.class)
            .withId("d")
            .extra()
            .get("tags"));
  }

  @Test
  void aToolBuiltFromASchemaStillSendsOnlyWhatTheServerReads() throws Exception {
    Tool t =
        Tool.function(
            "f",
            null,
            PLAIN.readTree(
                """
                {"type":"object","additionalProperties":false,"title":"T",
                 "properties":{"x":{"type":"integer","minimum":3,
                   "anyOf":[{"type":"integer","format":"int32"}],
                   "properties":{"y":{"type":"string","pattern":"a"}}}}}
                """));
    assertEquals(
        PLAIN.readTree(
            """
            {"type":"function","function":{"name":"f","parameters":{"type":"object",
              "properties":{"x":{"type":"integer","anyOf":[{"type":"integer"}],
                "properties":{"y":{"type":"string"}}}}}}}
            """),
        PLAIN.readTree(PLAIN.writeValueAsString(t)));
  }
}
