package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code options} object of generate, chat, embed, embeddings and show (and create's {@code
 * parameters}). Load-time keys (num_ctx .. draft_num_predict) reload the model when changed. Keys
 * the server removed (mirostat, numa, tfs_z, ...) are not offered; put them in {@code extra} if a
 * legacy server needs them. Unknown keys read from the wire land in {@code extra}.
 *
 * <p>Float keys are {@link Number}, not {@code Double}: clients send {@code 1} (JS, Go maps) or
 * {@code 1.0} (Python) and a Double would turn one into the other, breaking lossless replays. The
 * builder takes doubles; read values with {@code doubleValue()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Options(
    // load-time (Runner)
    @JsonProperty("num_ctx") Integer numCtx,
    @JsonProperty("num_batch") Integer numBatch,
    @JsonProperty("num_gpu") Integer numGpu,
    @JsonProperty("main_gpu") Integer mainGpu,
    @JsonProperty("use_mmap") Boolean useMmap,
    @JsonProperty("num_thread") Integer numThread,
    @JsonProperty("draft_num_predict") Integer draftNumPredict,
    // per request
    @JsonProperty("num_keep") Integer numKeep,
    @JsonProperty("seed") Long seed,
    @JsonProperty("num_predict") Integer numPredict,
    @JsonProperty("top_k") Integer topK,
    @JsonProperty("top_p") Number topP,
    @JsonProperty("min_p") Number minP,
    @JsonProperty("typical_p") Number typicalP,
    @JsonProperty("repeat_last_n") Integer repeatLastN,
    @JsonProperty("temperature") Number temperature,
    @JsonProperty("repeat_penalty") Number repeatPenalty,
    @JsonProperty("presence_penalty") Number presencePenalty,
    @JsonProperty("frequency_penalty") Number frequencyPenalty,
    @JsonProperty("stop") List<String> stop,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Options {
    extra = Wire.extra(extra);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All fields optional; unset ones are not sent, so model and server defaults apply. */
  public static final class Builder {
    private Integer numCtx;
    private Integer numBatch;
    private Integer numGpu;
    private Integer mainGpu;
    private Boolean useMmap;
    private Integer numThread;
    private Integer draftNumPredict;
    private Integer numKeep;
    private Long seed;
    private Integer numPredict;
    private Integer topK;
    private Number topP;
    private Number minP;
    private Number typicalP;
    private Integer repeatLastN;
    private Number temperature;
    private Number repeatPenalty;
    private Number presencePenalty;
    private Number frequencyPenalty;
    private List<String> stop;
    // made on first use: most requests set none
    private Map<String, Object> extra;

    private Builder() {}

    public Builder numCtx(Integer v) {
      numCtx = v;
      return this;
    }

    public Builder numBatch(Integer v) {
      numBatch = v;
      return this;
    }

    public Builder numGpu(Integer v) {
      numGpu = v;
      return this;
    }

    public Builder mainGpu(Integer v) {
      mainGpu = v;
      return this;
    }

    public Builder useMmap(Boolean v) {
      useMmap = v;
      return this;
    }

    public Builder numThread(Integer v) {
      numThread = v;
      return this;
    }

    public Builder draftNumPredict(Integer v) {
      draftNumPredict = v;
      return this;
    }

    public Builder numKeep(Integer v) {
      numKeep = v;
      return this;
    }

    public Builder seed(Long v) {
      seed = v;
      return this;
    }

    public Builder numPredict(Integer v) {
      numPredict = v;
      return this;
    }

    public Builder topK(Integer v) {
      topK = v;
      return this;
    }

    public Builder topP(Double v) {
      topP = v;
      return this;
    }

    public Builder minP(Double v) {
      minP = v;
      return this;
    }

    public Builder typicalP(Double v) {
      typicalP = v;
      return this;
    }

    public Builder repeatLastN(Integer v) {
      repeatLastN = v;
      return this;
    }

    public Builder temperature(Double v) {
      temperature = v;
      return this;
    }

    public Builder repeatPenalty(Double v) {
      repeatPenalty = v;
      return this;
    }

    public Builder presencePenalty(Double v) {
      presencePenalty = v;
      return this;
    }

    public Builder frequencyPenalty(Double v) {
      frequencyPenalty = v;
      return this;
    }

    /** Always an array on the wire: a bare string is a 500 from the server. */
    public Builder stop(List<String> v) {
      stop = v == null ? null : List.copyOf(v);
      return this;
    }

    public Builder stop(String... v) {
      return stop(List.of(v));
    }

    public Builder extra(String key, Object value) {
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(key, value);
      return this;
    }

    public Options build() {
      return new Options(
          numCtx,
          numBatch,
          numGpu,
          mainGpu,
          useMmap,
          numThread,
          draftNumPredict,
          numKeep,
          seed,
          numPredict,
          topK,
          topP,
          minP,
          typicalP,
          repeatLastN,
          temperature,
          repeatPenalty,
          presencePenalty,
          frequencyPenalty,
          stop,
          extra);
    }
  }
}
