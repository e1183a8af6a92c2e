package core.llm.providers.ollama;

/**
 * The default User-Agent: this library, its version, Java, and the OS, like the official clients.
 */
final class UserAgent {
  static final String DEFAULT =
      "core-llm/"
          + version()
          + " ("
          + System.getProperty("os.arch")
          + " "
          + System.getProperty("os.name").toLowerCase()
          + ") Java/"
          + System.getProperty("java.version");

  private UserAgent() {}

  private static String version() {
    String v = UserAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
