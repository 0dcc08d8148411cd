package io.mesokube.operator.http;

import java.util.function.Consumer;

/** The proxy's own answer in place of the agent's: a status and a plain-text reason. */
final class Refusal extends Exception {
  private final int status;
  private final Outcome outcome;

  Refusal(int status, Outcome outcome, String message) {
    // A refusal is an answer, not a fault: no stack trace to fill in.
    super(message, null, false, false);
    this.status = status;
    this.outcome = outcome;
  }

  FilesAnswer answer(Consumer<Outcome> done) {
    return FilesAnswer.refusal(status, outcome, getMessage(), done);
  }
}
