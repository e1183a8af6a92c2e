package core.llm.providers.ollama.models;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes floats the way Go's encoding/json does for server replies: an integral value has no {@code
 * .0} ({@code 0}, not {@code 0.0}), so a logprob of exactly 0 or an embedding value of 0
 * round-trips to the same JSON tree. Only used on fields that the Go server produces.
 */
final class GoFloats {

  private GoFloats() {}

  static void write(double d, JsonGenerator gen) throws IOException {
    if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
      gen.writeNumber((long) d);
    } else {
      gen.writeNumber(d);
    }
  }

  static void write(float f, JsonGenerator gen) throws IOException {
    if (Float.isFinite(f) && f == Math.rint(f) && Math.abs(f) < 1e7f && !(f == 0 && 1 / f < 0)) {
      gen.writeNumber((long) f);
    } else {
      gen.writeNumber(f);
    }
  }

  /** For a boxed {@code Double} component. */
  static final class DoubleSerializer extends StdSerializer<Double> {
    DoubleSerializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      write(value, gen);
    }
  }

  /** For {@code double[]} vectors (legacy embeddings). */
  static final class DoubleArraySerializer extends StdSerializer<double[]> {
    DoubleArraySerializer() {
      super(double[].class);
    }

    @Override
    public void serialize(double[] value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray(value, value.length);
      for (double d : value) {
        write(d, gen);
      }
      gen.writeEndArray();
    }
  }

  /** For {@code float[][]} embedding batches. */
  static final class FloatMatrixSerializer extends StdSerializer<float[][]> {
    FloatMatrixSerializer() {
      super(float[][].class);
    }

    @Override
    public void serialize(float[][] value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray(value, value.length);
      for (float[] row : value) {
        if (row == null) {
          gen.writeNull();
          continue;
        }
        gen.writeStartArray(row, row.length);
        for (float f : row) {
          write(f, gen);
        }
        gen.writeEndArray();
      }
      gen.writeEndArray();
    }
  }
}
