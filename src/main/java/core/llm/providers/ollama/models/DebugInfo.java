package core.llm.providers.ollama.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code _debug_info} of generate and chat responses to a {@code _debug_render_only} request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DebugInfo(
    @JsonProperty("rendered_template") String renderedTemplate,
    @JsonProperty("image_count") Integer imageCount) {}
