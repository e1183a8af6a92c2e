package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of POST /api/create (JSON form, v0.5.5+). Needs {@code from} or {@code files}; file
 * digests are {@code sha256:<hex>} of blobs uploaded first. The deprecated {@code name} is never
 * sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateRequest(
    @JsonProperty("model") String model,
    @JsonProperty("from") String from,
    @JsonProperty("files") Map<String, String> files,
    @JsonProperty("adapters") Map<String, String> adapters,
    @JsonProperty("draft_files") Map<String, String> draftFiles,
    @JsonProperty("draft_quantize") String draftQuantize,
    @JsonProperty("template") String template,
    @JsonProperty("renderer") String renderer,
    @JsonProperty("parser") String parser,
    @JsonProperty("license") StringOrList license,
    @JsonProperty("system") String system,
    @JsonProperty("parameters") Options parameters,
    @JsonProperty("messages") List<Message> messages,
    @JsonProperty("quantize") String quantize,
    @JsonProperty("requires") String requires,
    @JsonProperty("remote_host") String remoteHost,
    @JsonProperty("info") CreateInfo info,
    @JsonProperty("stream") Boolean stream,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public CreateRequest {
    extra = Wire.extra(extra);
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  public CreateRequest withStream(Boolean newStream) {
    if (java.util.Objects.equals(stream, newStream)) {
      return this; // records are immutable: a request already set as asked is sent as it is
    }
    return new CreateRequest(
        model,
        from,
        files,
        adapters,
        draftFiles,
        draftQuantize,
        template,
        renderer,
        parser,
        license,
        system,
        parameters,
        messages,
        quantize,
        requires,
        remoteHost,
        info,
        newStream,
        extra);
  }

  public static final class Builder {
    private final String model;
    private String from;
    private Map<String, String> files;
    private Map<String, String> adapters;
    private Map<String, String> draftFiles;
    private String draftQuantize;
    private String template;
    private String renderer;
    private String parser;
    private StringOrList license;
    private String system;
    private Options parameters;
    private List<Message> messages;
    private String quantize;
    private String requires;
    private String remoteHost;
    private CreateInfo info;
    private Boolean stream;
    // made on first use: most requests set none
    private Map<String, Object> extra;

    private Builder(String model) {
      this.model = model;
    }

    public Builder from(String v) {
      from = v;
      return this;
    }

    /** Relative file name to {@code sha256:<hex>} digest of an uploaded blob. */
    public Builder file(String name, String digest) {
      files = put(files, name, digest);
      return this;
    }

    public Builder files(Map<String, String> v) {
      files = new LinkedHashMap<>(v);
      return this;
    }

    public Builder adapter(String name, String digest) {
      adapters = put(adapters, name, digest);
      return this;
    }

    public Builder draftFile(String name, String digest) {
      draftFiles = put(draftFiles, name, digest);
      return this;
    }

    public Builder draftQuantize(String v) {
      draftQuantize = v;
      return this;
    }

    public Builder template(String v) {
      template = v;
      return this;
    }

    public Builder renderer(String v) {
      renderer = v;
      return this;
    }

    public Builder parser(String v) {
      parser = v;
      return this;
    }

    public Builder license(String v) {
      license = StringOrList.of(v);
      return this;
    }

    public Builder license(List<String> v) {
      license = StringOrList.of(v);
      return this;
    }

    public Builder system(String v) {
      system = v;
      return this;
    }

    public Builder parameters(Options v) {
      parameters = v;
      return this;
    }

    public Builder message(Message m) {
      if (messages == null) {
        messages = new ArrayList<>();
      }
      messages.add(m);
      return this;
    }

    public Builder quantize(String v) {
      quantize = v;
      return this;
    }

    public Builder requires(String v) {
      requires = v;
      return this;
    }

    public Builder remoteHost(String v) {
      remoteHost = v;
      return this;
    }

    public Builder info(CreateInfo v) {
      info = v;
      return this;
    }

    public Builder stream(Boolean v) {
      stream = v;
      return this;
    }

    public Builder extra(String key, Object value) {
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(key, value);
      return this;
    }

    private static Map<String, String> put(Map<String, String> m, String k, String v) {
      Map<String, String> out = m == null ? new LinkedHashMap<>() : m;
      out.put(k, v);
      return out;
    }

    public CreateRequest build() {
      return new CreateRequest(
          model,
          from,
          files,
          adapters,
          draftFiles,
          draftQuantize,
          template,
          renderer,
          parser,
          license,
          system,
          parameters,
          messages,
          quantize,
          requires,
          remoteHost,
          info,
          stream,
          extra);
    }
  }
}
