package io.mesokube.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.mesokube.allocator.role.RoleName;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.role.RolePolicyStatus;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.cluster.TaskRoles;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reports what a role uses: resources of its (and its children's) running tasks and outstanding
 * offers, its dominant share, the frameworks in it, and whether its guarantee is met. Usage changes
 * with every task, so the status is refreshed periodically and written only on change.
 */
@ControllerConfiguration(name = "rolepolicy")
public class RolePolicyReconciler implements Reconciler<RolePolicy> {
  static final Duration REFRESH = Duration.ofSeconds(10);

  private final ClusterView view;
  private final Clock clock = Clock.systemUTC();

  RolePolicyReconciler(ClusterView view) {
    this.view = view;
  }

  @Override
  public UpdateControl<RolePolicy> reconcile(RolePolicy policy, Context<RolePolicy> context) {
    String role = policy.getSpec().role();
    Map<String, Framework> frameworks =
        view.frameworks().stream()
            .collect(
                Collectors.toMap(
                    f -> f.getMetadata().getNamespace() + "/" + f.getMetadata().getName(),
                    Function.identity(),
                    (a, b) -> a));
    Resources allocated =
        ResourceSums.sum(
            view.tasks().stream()
                .filter(t -> t.getSpec().agent() != null && FrameworkLife.nonTerminal(t))
                .filter(t -> inRole(role, TaskRoles.of(t, frameworks)))
                .map(t -> t.getSpec().charged())
                .toList());
    Resources offered =
        ResourceSums.sum(
            view.offers().stream()
                .filter(o -> inRole(role, o.getSpec().role()))
                .map(o -> o.getSpec().resources())
                .toList());
    int subscribed =
        (int)
            frameworks.values().stream()
                .filter(f -> f.getSpec().roles().stream().anyMatch(r -> inRole(role, r)))
                .count();
    RolePolicy owner = olderPolicyFor(role, policy);
    var previous = policy.getStatus();
    var conditions =
        new Conditions(
                previous == null ? null : previous.conditions(),
                policy.getMetadata().getGeneration(),
                clock.instant())
            .set(
                "Valid",
                owner == policy,
                owner == policy ? "Applied" : "DuplicateRole",
                owner == policy
                    ? "weight and quota of role " + role + " are in force"
                    : "RolePolicy " + owner.getMetadata().getName() + " already sets role " + role);
    List<io.mesokube.api.v1alpha1.common.Condition> built =
        guaranteeCondition(conditions, policy, allocated).build();
    RolePolicyStatus status =
        new RolePolicyStatus(
            policy.getMetadata().getGeneration(),
            allocated,
            offered,
            ResourceSums.dominantShare(allocated, ResourceSums.clusterTotal(view.agents())),
            subscribed,
            built);
    UpdateControl<RolePolicy> control;
    if (status.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      policy.setStatus(status);
      control = UpdateControl.patchStatus(policy);
    }
    return control.rescheduleAfter(REFRESH);
  }

  private static Conditions guaranteeCondition(
      Conditions conditions, RolePolicy policy, Resources allocated) {
    var quota = policy.getSpec().quota();
    if (quota == null || quota.guarantee() == null) {
      return conditions;
    }
    Resources guarantee = quota.guarantee();
    boolean met =
        atLeast(allocated.cpus(), guarantee.cpus()) && atLeast(allocated.mem(), guarantee.mem());
    return conditions.set(
        "GuaranteeMet",
        met,
        met ? "AllocatedAtLeastGuarantee" : "BelowGuarantee",
        "allocated cpus "
            + allocated.cpus()
            + " mem "
            + allocated.mem()
            + " of guaranteed cpus "
            + guarantee.cpus()
            + " mem "
            + guarantee.mem());
  }

  private static boolean atLeast(Double have, Double want) {
    return want == null || (have != null && have >= want);
  }

  private RolePolicy olderPolicyFor(String role, RolePolicy self) {
    RolePolicy owner = self;
    for (RolePolicy other : view.rolePolicies()) {
      if (other.getSpec().role().equals(role)
          && other
                  .getMetadata()
                  .getCreationTimestamp()
                  .compareTo(owner.getMetadata().getCreationTimestamp())
              < 0) {
        owner = other;
      }
    }
    return owner;
  }

  private static boolean inRole(String role, String candidate) {
    return candidate != null && RoleName.isSelfOrAncestor(role, candidate);
  }
}
