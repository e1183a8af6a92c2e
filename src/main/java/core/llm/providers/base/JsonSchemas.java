package core.llm.providers.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import com.github.victools.jsonschema.generator.naming.CleanSchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.generator.naming.DefaultSchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * JSON Schemas for structured output: the schema of a Java type, and its translation into the
 * dialects providers accept.
 *
 * <p>{@link #of} derives a JSON Schema (draft 2020-12, without a {@code $schema} keyword) with the
 * victools generator and its Jackson module, so the schema describes what Jackson reads: records
 * and classes (properties in declaration order, {@code @JsonProperty} names, {@code @JsonIgnore}
 * honoured), generics resolved through their type arguments ({@code Box<String>} as a field), an
 * unresolved type variable as "any value", enums as the strings Jackson writes for them, {@code
 * java.time} types, {@code UUID} and {@code URI} as strings with their {@code format}, collections
 * and arrays, string-keyed maps ({@code additionalProperties} with the value schema). Every
 * property is required except {@code Optional}/{@code OptionalInt}/... ones, which may be absent or
 * null. Every object other than a map forbids other properties. A type used more than once is a
 * {@code $defs} entry; a recursive type refers to itself.
 *
 * <p>That schema is sent as it is to Ollama ({@code format}) and to Anthropic (the structured
 * output tool's {@code input_schema}); both take plain JSON Schema. OpenAI's strict mode accepts a
 * subset: {@link #openAiStrict} translates into it when that keeps the meaning.
 */
public final class JsonSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaGenerator GENERATOR = generator();

  /** The string formats OpenAI's strict mode accepts; other formats are left out there. */
  private static final Set<String> OPENAI_FORMATS =
      Set.of("date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid");

  /** Keywords that only annotate, and may be dropped without changing which values are valid. */
  private static final Set<String> ANNOTATIONS =
      Set.of(
          "$schema",
          "$id",
          "$comment",
          "examples",
          "default",
          "deprecated",
          "readOnly",
          "contentEncoding",
          "contentMediaType");

  /** Keywords OpenAI's strict mode accepts (beside the annotations above, which it drops). */
  private static final Set<String> OPENAI_KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "anyOf",
          "enum",
          "const",
          "$ref",
          "$defs",
          "definitions",
          "title",
          "description",
          "format",
          "pattern",
          "multipleOf",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "minItems",
          "maxItems");

  private JsonSchemas() {}

  /**
   * The JSON Schema of {@code type}, as described above.
   *
   * @throws IllegalArgumentException when no schema can be derived from the type
   */
  public static ObjectNode of(Class<?> type) {
    if (type == null) {
      throw new IllegalArgumentException("No type to derive a JSON Schema from");
    }
    try {
      return GENERATOR.generateSchema(type);
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException(
          "Cannot derive a JSON Schema from " + type.getTypeName() + ": " + e, e);
    }
  }

  /**
   * The schema in OpenAI's strict dialect, or empty when it has none with the same meaning (then it
   * is sent non-strict: the model is still asked for it, and the reply is still parsed).
   *
   * <p>Strict mode wants every object to list all its properties as required and to forbid others,
   * the root to be an object, every schema to have a type (or be an {@code anyOf}, {@code enum},
   * {@code const} or {@code $ref}), and only its keywords. The translation, on a copy:
   *
   * <ul>
   *   <li>an object with properties and no {@code additionalProperties} gets {@code false} (it asks
   *       for no more than the original schema allows);
   *   <li>a property left out of {@code required} is added to it when its schema accepts {@code
   *       null} (an {@code Optional} component: null reads as empty), since null is then already a
   *       valid value;
   *   <li>a {@code format} strict mode does not know ({@code uri}...) is dropped, as are
   *       annotations such as {@code $schema} and {@code default} ({@code format} is an annotation
   *       in draft 2020-12, so validity is unchanged).
   * </ul>
   *
   * A schema that still does not fit (a map, an open or empty object, an optional property that
   * cannot be null, "any value", {@code allOf}, {@code not}, {@code patternProperties}...) has no
   * strict translation.
   */
  public static Optional<ObjectNode> openAiStrict(JsonNode schema) {
    if (schema == null || !schema.isObject() || !"object".equals(schema.path("type").asText())) {
      return Optional.empty();
    }
    ObjectNode copy = ((ObjectNode) schema).deepCopy();
    return strict(copy) ? Optional.of(copy) : Optional.empty();
  }

  /** Translates {@code node} in place; false when it cannot be. */
  private static boolean strict(JsonNode node) {
    if (!node.isObject()) {
      return false; // a boolean schema (true: anything; false: nothing)
    }
    ObjectNode schema = (ObjectNode) node;
    List<String> fields = new ArrayList<>();
    schema.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      if (ANNOTATIONS.contains(field)
          || ("format".equals(field) && !OPENAI_FORMATS.contains(schema.path("format").asText()))) {
        schema.remove(field);
      } else if (!OPENAI_KEYWORDS.contains(field)) {
        return false;
      }
    }
    if (!schema.has("type")
        && !schema.has("anyOf")
        && !schema.has("$ref")
        && !schema.has("enum")
        && !schema.has("const")) {
      return false; // any value
    }
    if (hasType(schema, "object") && !strictObject(schema)) {
      return false;
    }
    for (String container : List.of("$defs", "definitions", "properties")) {
      JsonNode children = schema.get(container);
      if (children != null) {
        if (!children.isObject()) {
          return false;
        }
        for (JsonNode child : children) {
          if (!strict(child)) {
            return false;
          }
        }
      }
    }
    JsonNode items = schema.get("items");
    if (items != null && !strict(items)) {
      return false;
    }
    JsonNode anyOf = schema.get("anyOf");
    if (anyOf != null) {
      if (!anyOf.isArray() || anyOf.isEmpty()) {
        return false;
      }
      for (JsonNode member : anyOf) {
        if (!strict(member)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean strictObject(ObjectNode schema) {
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject() || properties.isEmpty()) {
      return false; // an open object, or one that may only be {}
    }
    JsonNode extra = schema.get("additionalProperties");
    if (extra == null) {
      schema.put("additionalProperties", false);
    } else if (!extra.isBoolean() || extra.booleanValue()) {
      return false; // a map
    }
    Set<String> required = new LinkedHashSet<>();
    JsonNode listed = schema.get("required");
    if (listed != null) {
      if (!listed.isArray()) {
        return false;
      }
      listed.forEach(r -> required.add(r.asText()));
    }
    Iterator<Map.Entry<String, JsonNode>> each = properties.fields();
    while (each.hasNext()) {
      Map.Entry<String, JsonNode> property = each.next();
      if (!required.contains(property.getKey())) {
        if (!acceptsNull(property.getValue())) {
          return false;
        }
        required.add(property.getKey());
      }
    }
    ArrayNode all = schema.putArray("required");
    required.forEach(all::add);
    return true;
  }

  private static boolean hasType(JsonNode schema, String type) {
    JsonNode t = schema.get("type");
    if (t == null) {
      return false;
    }
    if (t.isArray()) {
      for (JsonNode each : t) {
        if (type.equals(each.asText())) {
          return true;
        }
      }
      return false;
    }
    return type.equals(t.asText());
  }

  /** Whether null is valid against the schema, as far as can be told without following $ref. */
  private static boolean acceptsNull(JsonNode schema) {
    if (!schema.isObject()) {
      return schema.asBoolean(false);
    }
    if (schema.has("const")) {
      return schema.get("const").isNull();
    }
    JsonNode values = schema.get("enum");
    if (values != null) {
      for (JsonNode v : values) {
        if (v.isNull()) {
          return !schema.has("type") || hasType(schema, "null");
        }
      }
      return false;
    }
    JsonNode anyOf = schema.get("anyOf");
    if (anyOf != null) {
      for (JsonNode member : anyOf) {
        if (acceptsNull(member)) {
          return true;
        }
      }
      return false;
    }
    return hasType(schema, "null") && !schema.has("$ref");
  }

  private static SchemaGenerator generator() {
    SchemaGeneratorConfigBuilder builder =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonModule(
                    JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                    JacksonOption.RESPECT_JSONPROPERTY_ORDER))
            .with(
                Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    // Declaration order (a record's component order), which is also the order Jackson writes:
    // a model answers in it, so a "reasoning" component placed first is written first.
    builder
        .forTypesInGeneral()
        .withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS);
    builder
        .forTypesInGeneral()
        .withDefinitionNamingStrategy(
            new CleanSchemaDefinitionNamingStrategy(
                new DefaultSchemaDefinitionNamingStrategy(),
                name -> name.replaceAll("[^A-Za-z0-9_.-]", "_")));
    builder
        .forTypesInGeneral()
        .withCustomDefinitionProvider(
            (type, context) -> {
              Class<?> raw = type.getErasedType();
              ObjectNode node = context.getGeneratorConfig().createObjectNode();
              if (raw == OptionalInt.class || raw == OptionalLong.class) {
                node.putArray("type").add("integer").add("null");
              } else if (raw == OptionalDouble.class) {
                node.putArray("type").add("number").add("null");
              } else if (raw == byte[].class) {
                // Jackson writes a byte array as one base64 string
                node.put("type", "string").put("contentEncoding", "base64");
              } else if (raw.isEnum()) {
                ArrayNode values = node.put("type", "string").putArray("enum");
                for (Object constant : raw.getEnumConstants()) {
                  JsonNode written = JSON.valueToTree(constant);
                  if (!written.isTextual()) {
                    return null; // @JsonValue of another type: victools' own rules
                  }
                  values.add(written.asText());
                }
              } else {
                return null;
              }
              return new CustomDefinition(
                  node,
                  CustomDefinition.DefinitionType.STANDARD,
                  CustomDefinition.AttributeInclusion.YES);
            });
    builder
        .forFields()
        .withRequiredCheck(
            field -> {
              Class<?> declared = field.getDeclaredType().getErasedType();
              return declared != Optional.class
                  && declared != OptionalInt.class
                  && declared != OptionalLong.class
                  && declared != OptionalDouble.class;
            });
    return new SchemaGenerator(builder.build());
  }
}
