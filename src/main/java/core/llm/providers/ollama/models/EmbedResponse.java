package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/** The reply of POST /api/embed: one L2-normalised vector per input, in input order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbedResponse(
    @JsonProperty("model") String model,
    // float[] halves the memory of large batches; records compare arrays by identity
    @JsonSerialize(using = GoFloats.FloatMatrixSerializer.class)
        @JsonDeserialize(using = FloatMatrixDeserializer.class)
        @JsonProperty("embeddings")
        float[][] embeddings,
    @JsonProperty("total_duration") Long totalDuration,
    @JsonProperty("load_duration") Long loadDuration,
    @JsonProperty("prompt_eval_count") Integer promptEvalCount,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EmbedResponse {
    extra = Wire.extra(extra);
  }

  /**
   * Reads the vectors token by token straight into {@code float[]}s: every row after the first is
   * allocated at the first row's length (a batch shares its dimensions), and each number is parsed
   * from the parser's own characters, so no {@code Double}, list, tree or string per value is made.
   */
  static final class FloatMatrixDeserializer extends StdDeserializer<float[][]> {
    /** Where the first row grows until its length is known. */
    private static final int FIRST_ROW = 1024;

    FloatMatrixDeserializer() {
      super(float[][].class);
    }

    @Override
    public float[][] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (float[][]) ctxt.handleUnexpectedToken(float[][].class, p);
      }
      float[][] rows = new float[16][];
      int count = 0;
      int width = 0;
      JsonToken token;
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        float[] row;
        if (token == JsonToken.VALUE_NULL) {
          row = null;
        } else if (token == JsonToken.START_ARRAY) {
          row = row(p, ctxt, width > 0 ? width : FIRST_ROW);
          if (width == 0) {
            width = row.length;
          }
        } else {
          return (float[][]) ctxt.handleUnexpectedToken(float[][].class, p);
        }
        if (count == rows.length) {
          rows = Arrays.copyOf(rows, count * 2);
        }
        rows[count++] = row;
      }
      return count == rows.length ? rows : Arrays.copyOf(rows, count);
    }

    private static float[] row(JsonParser p, DeserializationContext ctxt, int expected)
        throws IOException {
      float[] row = new float[expected];
      int n = 0;
      JsonToken token;
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
          return (float[]) ctxt.handleUnexpectedToken(float[].class, p);
        }
        if (n == row.length) {
          row = Arrays.copyOf(row, Math.max(16, n * 2));
        }
        row[n++] =
            NumberInput.parseFloat(
                p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), true);
      }
      return n == row.length ? row : Arrays.copyOf(row, n);
    }
  }

  @JsonIgnore
  public Duration totalDurationTime() {
    return Wire.nanos(totalDuration);
  }

  @JsonIgnore
  public Duration loadDurationTime() {
    return Wire.nanos(loadDuration);
  }
}
