package core.llm.providers.config;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;

/**
 * Hot-reload settings of {@link ProviderConfigManager}.
 *
 * @param watch whether the file is polled for changes (default true)
 * @param pollInterval how often the file is polled (default 250ms, at least 10ms)
 */
public record ReloadConfig(
    boolean watch, @JsonSerialize(using = ToStringSerializer.class) Duration pollInterval) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
  public static final ReloadConfig DEFAULTS = new ReloadConfig(true, DEFAULT_POLL_INTERVAL);

  /** A null interval becomes the default. */
  public ReloadConfig {
    pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
  }
}
