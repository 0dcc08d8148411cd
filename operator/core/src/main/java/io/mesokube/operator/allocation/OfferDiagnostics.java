package io.mesokube.operator.allocation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Why each framework that answers offers is, or is not, receiving them: written by the allocation
 * loop on the leader, read by the framework reconciler for the {@code Offered} condition.
 *
 * <p>The loop replaces the whole picture at each explanation (every few seconds), so a reader sees
 * one consistent cycle's view per framework, never a mix of two.
 */
@ApplicationScoped
public class OfferDiagnostics {
  /** Condition type the framework reconciler sets from a diagnosis. */
  public static final String CONDITION = "Offered";

  /**
   * One framework's picture.
   *
   * @param offered whether it holds or recently received offers
   * @param reason CamelCase reason for the condition
   * @param message what a person needs to know, with counts of agents per reason
   */
  public record Diagnosis(boolean offered, String reason, String message) {}

  private volatile Map<String, Diagnosis> byFramework = Map.of();

  /** The diagnosis of a framework id ({@code namespace/name}), if the leader made one. */
  public Optional<Diagnosis> of(String frameworkId) {
    return Optional.ofNullable(byFramework.get(frameworkId));
  }

  void replace(Map<String, Diagnosis> next) {
    byFramework = Map.copyOf(next);
  }
}
