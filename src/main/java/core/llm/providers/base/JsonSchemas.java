package core.llm.providers.base;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a JSON Schema from a Java type, for structured output: records (components in order, all
 * required unless {@link Optional}), plain classes (public fields), enums, strings, numbers,
 * booleans, collections, arrays and string-keyed maps. {@code @JsonProperty} names are honoured.
 */
public final class JsonSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonSchemas() {}

  public static ObjectNode of(Class<?> type) {
    return schema(type, new HashSet<>());
  }

  private static ObjectNode schema(Type type, Set<Type> seen) {
    ObjectNode node = JSON.createObjectNode();
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (Collection.class.isAssignableFrom(raw)) {
        node.put("type", "array");
        node.set("items", schema(p.getActualTypeArguments()[0], seen));
        return node;
      }
      if (Map.class.isAssignableFrom(raw)) {
        node.put("type", "object");
        node.set("additionalProperties", schema(p.getActualTypeArguments()[1], seen));
        return node;
      }
      if (raw == Optional.class) {
        return schema(p.getActualTypeArguments()[0], seen);
      }
      return schema(raw, seen);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class
        || c == char.class
        || c == Character.class
        || CharSequence.class.isAssignableFrom(c)) {
      return node.put("type", "string");
    }
    if (c == boolean.class || c == Boolean.class) {
      return node.put("type", "boolean");
    }
    if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == java.math.BigInteger.class) {
      return node.put("type", "integer");
    }
    if (c == double.class || c == float.class || Number.class.isAssignableFrom(c)) {
      return node.put("type", "number");
    }
    if (c.isEnum()) {
      node.put("type", "string");
      ArrayNode values = node.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return node;
    }
    if (c.isArray()) {
      node.put("type", "array");
      node.set("items", schema(c.getComponentType(), seen));
      return node;
    }
    if (Collection.class.isAssignableFrom(c)) {
      return node.put("type", "array");
    }
    if (JsonNode.class.isAssignableFrom(c) || c == Object.class || Map.class.isAssignableFrom(c)) {
      return node.put("type", "object");
    }
    if (!seen.add(c)) {
      throw new IllegalArgumentException(
          "Recursive type " + c.getName() + " has no finite JSON Schema");
    }
    node.put("type", "object");
    ObjectNode properties = node.putObject("properties");
    ArrayNode required = node.putArray("required");
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        String name = name(rc.getAnnotation(JsonProperty.class), rc.getName());
        properties.set(name, schema(rc.getGenericType(), seen));
        if (rc.getType() != Optional.class) {
          required.add(name);
        }
      }
    } else {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        String name = name(f.getAnnotation(JsonProperty.class), f.getName());
        properties.set(name, schema(f.getGenericType(), seen));
        if (f.getType() != Optional.class) {
          required.add(name);
        }
      }
    }
    node.put("additionalProperties", false);
    seen.remove(c);
    return node;
  }

  private static String name(JsonProperty annotation, String fallback) {
    return annotation != null && !annotation.value().isEmpty() ? annotation.value() : fallback;
  }
}
