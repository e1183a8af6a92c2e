package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The reply of POST /api/me (the ollama.com account of the server key). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeResponse(
    @JsonProperty("id") String id,
    @JsonProperty("email") String email,
    @JsonProperty("name") String name,
    @JsonProperty("bio") String bio,
    @JsonProperty("avatarurl") String avatarUrl,
    @JsonProperty("firstname") String firstName,
    @JsonProperty("lastname") String lastName,
    @JsonProperty("plan") String plan) {}
