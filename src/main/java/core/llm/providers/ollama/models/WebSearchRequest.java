package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of POST /api/experimental/web_search (snake_case max_results, not maxResults). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebSearchRequest(
    @JsonProperty("query") String query, @JsonProperty("max_results") Integer maxResults) {}
