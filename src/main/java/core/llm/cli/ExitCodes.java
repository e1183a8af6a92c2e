package core.llm.cli;

/**
 * Exit codes of the {@code llm} program, one per kind of failure so scripts can tell them apart.
 * Stable: documented in the README.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Success. */
  public static final int OK = 0;

  /** Anything not covered below (an unexpected failure, a local file that cannot be read...). */
  public static final int ERROR = 1;

  /** Wrong command line (picocli's own code for a usage error). */
  public static final int USAGE = 2;

  /**
   * The server could not be reached, timed out or is overloaded: Ollama not running, wrong
   * OLLAMA_HOST.
   */
  public static final int UNAVAILABLE = 3;

  /**
   * The model does not exist, or no provider serves it: {@code llm pull MODEL} may help. (An
   * unknown provider name is {@link #CONFIG}.)
   */
  public static final int NOT_FOUND = 4;

  /** The model lacks a capability the request needs (thinking, vision, tools, embedding...). */
  public static final int CAPABILITY = 5;

  /** Missing or wrong credentials. */
  public static final int UNAUTHORIZED = 6;

  /** The server rejected the request as invalid (including a prompt too long for the context). */
  public static final int BAD_REQUEST = 7;

  /**
   * The configuration file is invalid or unreadable ({@code llm config validate FILE} says why).
   */
  public static final int CONFIG = 8;

  /** The server failed: a 5xx, an error inside a stream, an incomplete or malformed reply. */
  public static final int SERVER = 9;

  /**
   * Ctrl-C ended a one-shot answer early (the partial answer was printed). 128 + SIGINT, as shells
   * do.
   */
  public static final int INTERRUPTED = 130;

  /**
   * The output was closed while an answer streamed ({@code llm chat M "..." | head -c 30}): the
   * answer was cancelled (the server stops generating) and the program exits quietly. 128 +
   * SIGPIPE, what a shell reports for a program a closed pipe killed ({@code ollama} included).
   */
  public static final int BROKEN_PIPE = 141;
}
