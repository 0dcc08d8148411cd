package io.mesokube.operator.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Watches the operator replicas' leader Lease: who holds it, and how often it is written. */
final class OperatorLease implements AutoCloseable {
  static final String NAMESPACE = "mesokube-system";
  static final String NAME = "mesokube-operator";

  private final AtomicLong writes = new AtomicLong();
  private final Map<Long, Instant> takeovers = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Lease> informer;

  private OperatorLease(KubernetesClient client) {
    informer =
        client
            .leases()
            .inNamespace(NAMESPACE)
            .withField("metadata.name", NAME)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Lease lease) {}

                  @Override
                  public void onUpdate(Lease before, Lease after) {
                    if (!before
                        .getMetadata()
                        .getResourceVersion()
                        .equals(after.getMetadata().getResourceVersion())) {
                      writes.incrementAndGet();
                    }
                    Integer epoch = after.getSpec().getLeaseTransitions();
                    takeovers.putIfAbsent(epoch == null ? 0L : epoch, Instant.now());
                  }

                  @Override
                  public void onDelete(Lease lease, boolean finalStateUnknown) {}
                });
  }

  /** Creates the Lease's namespace if needed and starts watching. */
  static OperatorLease watch(KubernetesClient client) {
    ensureNamespace(client);
    return new OperatorLease(client);
  }

  /** Creates the namespace of the operator's Lease ({@code mesokube-system}) if needed. */
  static void ensureNamespace(KubernetesClient client) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  /** The current holder, or null. */
  String holder() {
    Lease lease = informer.getStore().getByKey(NAMESPACE + "/" + NAME);
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The Lease's leaseTransitions: the current leader's epoch. */
  long epoch() {
    Lease lease = informer.getStore().getByKey(NAMESPACE + "/" + NAME);
    Integer transitions = lease == null ? null : lease.getSpec().getLeaseTransitions();
    return transitions == null ? 0 : transitions;
  }

  /** Successful writes seen so far (renewals and take-overs). */
  long writes() {
    return writes.get();
  }

  /** When this watch first saw the Lease at {@code epoch} (a take-over), if it did. */
  Instant takenOver(long epoch) {
    return takeovers.get(epoch);
  }

  @Override
  public void close() {
    informer.close();
  }
}
