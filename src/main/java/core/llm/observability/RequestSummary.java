package core.llm.observability;

import core.llm.common.ErrorKind;
import core.llm.common.Usage;
import java.time.Duration;

/**
 * How one request ended: what the request log writes, the usage tracker adds up and {@link
 * RequestListener#onEnd} receives.
 *
 * @param context the request
 * @param outcome {@code success}, or the error kind in lower case ({@code rate_limited}, {@code
 *     cancelled}...), or {@code unknown_error} for a failure that is not an LlmException
 * @param errorKind the error kind, null on success or for a non-LlmException failure
 * @param status HTTP status of the failure, 0 when none
 * @param latency from start to end (to the last chunk for streams)
 * @param timeToFirstToken streams only: start to first content, null otherwise or when none came
 * @param chunks streams only: content chunks delivered
 * @param usage what the provider reported, {@link Usage#UNKNOWN} when nothing
 * @param cost from the price table, null when the model has no price (never a made-up zero)
 */
public record RequestSummary(
    RequestContext context,
    String outcome,
    ErrorKind errorKind,
    int status,
    Duration latency,
    Duration timeToFirstToken,
    int chunks,
    Usage usage,
    Double cost) {

  public static final String SUCCESS = "success";

  public boolean succeeded() {
    return SUCCESS.equals(outcome);
  }
}
