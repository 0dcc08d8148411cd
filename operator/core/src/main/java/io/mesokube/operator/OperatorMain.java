package io.mesokube.operator;

import io.mesokube.operator.uninstall.UninstallCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The operator image's entry point: {@code uninstall ...} runs the uninstall drain, anything else
 * the operator.
 *
 * <p>The drain runs without starting Quarkus: the operator's startup observers (informers, leader
 * election, the Java Operator SDK's controllers) must not start in the uninstall hook's Job, whose
 * ServiceAccount may only touch Agents. Quarkus calls this static method in place of the main
 * method it would generate, with the same class loader, so the command sees the application's
 * classes and libraries (Fabric8's HTTP client among them) as the operator does.
 */
@QuarkusMain
public final class OperatorMain {
  private OperatorMain() {}

  /** Runs the uninstall command and exits with its code, or starts the operator. */
  public static void main(String... args) {
    if (args.length > 0 && args[0].equals(UninstallCommand.NAME)) {
      System.exit(UninstallCommand.main(Arrays.copyOfRange(args, 1, args.length)));
    }
    Quarkus.run(args);
  }
}
