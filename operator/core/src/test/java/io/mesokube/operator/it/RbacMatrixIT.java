package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16's RBAC matrix: what the operator, an agent, a framework scheduler and a plain namespace
 * user may and may not do with the rules of {@code deploy/rbac}, asked of the real API server's
 * authorizer (SubjectAccessReview, what {@code kubectl auth can-i} asks). Every "no" is asserted as
 * much as every "yes": a rule that grows unnoticed fails here.
 */
@ExtendWith(ControlPlaneExtension.class)
class RbacMatrixIT {
  private static final Path RBAC = Path.of(System.getProperty("user.dir"), "../../deploy/rbac");
  private static final String SYSTEM = "mesokube-system";
  private static final String OTHER = "another-team";

  /** Who asks: a user name and its groups. */
  private record Who(String name, String user, String... groups) {
    static Who serviceAccount(String namespace, String name) {
      return new Who(
          name,
          "system:serviceaccount:" + namespace + ":" + name,
          "system:serviceaccounts",
          "system:serviceaccounts:" + namespace,
          "system:authenticated");
    }
  }

  /** One cell: may {@code who} {@code verb} {@code resource} (in {@code namespace})? */
  private record Cell(
      Who who, boolean allowed, String verb, String resource, String namespace, String name) {
    @Override
    public String toString() {
      return "%s %s %s %s%s%s"
          .formatted(
              who.name(),
              allowed ? "may" : "may not",
              verb,
              resource,
              namespace == null ? "" : " in " + namespace,
              name == null ? "" : " named " + name);
    }
  }

  @Test
  void everyYesAndEveryNoOfTheMatrix(TestCluster cluster) {
    String tenant = cluster.namespace();
    for (String file : List.of("operator.yaml", "agent.yaml", "framework-scheduler.yaml")) {
      KubectlResult applied =
          cluster.controlPlane().kubectl("apply", "-f", RBAC.resolve(file).normalize().toString());
      assertThat(applied.succeeded()).as("apply %s: %s", file, applied.stderr()).isTrue();
    }
    cluster
        .controlPlane()
        .applyOk(
            tenant,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: scheduler}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mesokube-framework-scheduler}
            subjects: [{kind: ServiceAccount, name: scheduler, namespace: %s}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: alice-edit}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            """
                .formatted(tenant));

    Who operator = Who.serviceAccount(SYSTEM, "mesokube-operator");
    Who agent = Who.serviceAccount(SYSTEM, "mesokube-agent");
    Who scheduler = Who.serviceAccount(tenant, "scheduler");
    Who alice = new Who("alice (edit in her namespace)", "alice", "system:authenticated");

    List<Cell> matrix = new ArrayList<>();
    // The operator: reads everything Mesokube, makes offers and binds tasks, writes statuses.
    yes(matrix, operator, "list", "agents", null);
    yes(matrix, operator, "watch", "tasks", tenant);
    yes(matrix, operator, "create", "offers", tenant);
    yes(matrix, operator, "delete", "offers", tenant);
    yes(matrix, operator, "create", "tasks", tenant);
    yes(matrix, operator, "patch", "tasks", tenant);
    yes(matrix, operator, "bind", "tasks", tenant);
    yes(matrix, operator, "patch", "tasks/status", tenant);
    yes(matrix, operator, "patch", "agents/status", null);
    yes(matrix, operator, "patch", "frameworks/status", tenant);
    yes(matrix, operator, "create", "events.events.k8s.io", tenant);
    yes(matrix, operator, "create", "leases.coordination.k8s.io", SYSTEM);
    yes(matrix, operator, "update", "leases.coordination.k8s.io", SYSTEM, "mesokube-operator");
    no(matrix, operator, "update", "leases.coordination.k8s.io", SYSTEM, "mesokube-agent-node-a");
    no(matrix, operator, "create", "leases.coordination.k8s.io", tenant);
    no(matrix, operator, "patch", "agents", null);
    no(matrix, operator, "delete", "agents", null);
    no(matrix, operator, "delete", "tasks", tenant);
    no(matrix, operator, "update", "tasks/status", tenant);
    no(matrix, operator, "create", "frameworks", tenant);
    no(matrix, operator, "delete", "frameworks", tenant);
    no(matrix, operator, "patch", "rolepolicies", null);
    no(matrix, operator, "get", "secrets", tenant);
    no(matrix, operator, "list", "pods", tenant);
    // An agent: its tasks' statuses, its Agent, its heartbeat; pull secrets by name.
    yes(matrix, agent, "list", "tasks", null);
    yes(matrix, agent, "update", "tasks/status", tenant);
    yes(matrix, agent, "get", "frameworks", tenant);
    yes(matrix, agent, "watch", "rolepolicies", null);
    yes(matrix, agent, "watch", "agents", null);
    yes(matrix, agent, "patch", "agents", null);
    yes(matrix, agent, "patch", "agents/status", null);
    yes(matrix, agent, "get", "secrets", tenant);
    yes(matrix, agent, "patch", "leases.coordination.k8s.io", SYSTEM);
    no(matrix, agent, "patch", "tasks", tenant);
    no(matrix, agent, "create", "tasks", tenant);
    no(matrix, agent, "bind", "tasks", tenant);
    no(matrix, agent, "patch", "tasks/status", tenant);
    no(matrix, agent, "delete", "agents", null);
    no(matrix, agent, "create", "offers", tenant);
    no(matrix, agent, "patch", "frameworks", tenant);
    no(matrix, agent, "patch", "rolepolicies", null);
    no(matrix, agent, "list", "secrets", tenant);
    no(matrix, agent, "watch", "secrets", tenant);
    no(matrix, agent, "patch", "leases.coordination.k8s.io", tenant);
    // A framework scheduler, bound in its namespace: its Framework, answers to its offers, kills.
    yes(matrix, scheduler, "create", "frameworks", tenant);
    yes(matrix, scheduler, "delete", "frameworks", tenant);
    yes(matrix, scheduler, "patch", "offers", tenant);
    yes(matrix, scheduler, "watch", "tasks", tenant);
    yes(matrix, scheduler, "patch", "tasks", tenant);
    yes(matrix, scheduler, "update", "leases.coordination.k8s.io", tenant);
    no(matrix, scheduler, "create", "tasks", tenant);
    no(matrix, scheduler, "bind", "tasks", tenant);
    no(matrix, scheduler, "delete", "tasks", tenant);
    no(matrix, scheduler, "patch", "tasks/status", tenant);
    no(matrix, scheduler, "create", "offers", tenant);
    no(matrix, scheduler, "delete", "offers", tenant);
    no(matrix, scheduler, "list", "agents", null);
    no(matrix, scheduler, "list", "secrets", tenant);
    no(matrix, scheduler, "get", "frameworks", OTHER);
    no(matrix, scheduler, "patch", "tasks", OTHER);
    no(matrix, scheduler, "update", "leases.coordination.k8s.io", SYSTEM);
    // A plain namespace user: Kubernetes' edit role gives nothing of Mesokube's, binding least.
    no(matrix, alice, "create", "tasks", tenant);
    no(matrix, alice, "bind", "tasks", tenant);
    no(matrix, alice, "patch", "offers", tenant);
    no(matrix, alice, "list", "agents", null);
    no(matrix, alice, "list", "rolepolicies", null);

    List<String> wrong = new ArrayList<>();
    for (Cell cell : matrix) {
      boolean allowed = allowed(cluster, cell);
      if (allowed != cell.allowed()) {
        wrong.add(cell + ", but the authorizer says " + (allowed ? "yes" : "no"));
      }
    }
    assertThat(wrong).as("cells of the RBAC matrix that do not hold").isEmpty();
    assertThat(matrix).filteredOn(c -> !c.allowed()).hasSizeGreaterThan(30);
  }

  private static void yes(List<Cell> m, Who who, String verb, String resource, String ns) {
    m.add(new Cell(who, true, verb, resource, ns, null));
  }

  private static void yes(
      List<Cell> m, Who who, String verb, String resource, String ns, String name) {
    m.add(new Cell(who, true, verb, resource, ns, name));
  }

  private static void no(List<Cell> m, Who who, String verb, String resource, String ns) {
    m.add(new Cell(who, false, verb, resource, ns, null));
  }

  private static void no(
      List<Cell> m, Who who, String verb, String resource, String ns, String name) {
    m.add(new Cell(who, false, verb, resource, ns, name));
  }

  /**
   * Asks the authorizer. {@code resource} is "plural[/subresource]" of mesokube.io, or
   * "plural.group" of another API group ("events.events.k8s.io"); core resources are bare.
   */
  private static boolean allowed(TestCluster cluster, Cell cell) {
    String resource = cell.resource();
    String subresource = null;
    if (resource.contains("/")) {
      subresource = resource.substring(resource.indexOf('/') + 1);
      resource = resource.substring(0, resource.indexOf('/'));
    }
    String group;
    if (resource.contains(".")) {
      group = resource.substring(resource.indexOf('.') + 1);
      resource = resource.substring(0, resource.indexOf('.'));
    } else {
      group = List.of("secrets", "pods").contains(resource) ? "" : "mesokube.io";
    }
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(cell.who().user())
            .withGroups(cell.who().groups())
            .withResourceAttributes(
                new ResourceAttributesBuilder()
                    .withGroup(group)
                    .withResource(resource)
                    .withSubresource(subresource)
                    .withVerb(cell.verb())
                    .withNamespace(cell.namespace())
                    .withName(cell.name())
                    .build())
            .endSpec()
            .build();
    return cluster
        .client()
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }
}
