package core.llm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command of the program: merges the global options given after its name with those given before
 * it, then runs with the run's {@link CliContext}. Failures propagate to {@link Llm}, which turns
 * them into one line and an exit code.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin GlobalOptions global;

  @Override
  public final Integer call() throws Exception {
    Llm root = (Llm) spec.root().userObject();
    CliContext ctx = root.context(global);
    return run(ctx);
  }

  /** The command itself; returns the exit code. */
  abstract int run(CliContext ctx) throws Exception;
}
