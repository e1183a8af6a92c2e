package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One result of POST /api/experimental/web_search. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebSearchResult(
    @JsonProperty("title") String title,
    @JsonProperty("url") String url,
    @JsonProperty("content") String content) {}
