package io.mesokube.operator.allocation;

import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an accept against its offer, all or nothing: every launched task must fit in what the
 * offer has left, use the offer's role and agent, and take a free name. The result says which tasks
 * to create with which resources, or why the accept is refused.
 */
record AcceptPlan(List<Launch> launches, Resources unused, String error) {
  /** One task to create: its template, its spec bound to the offer, the resources it holds. */
  record Launch(TaskTemplate template, TaskSpec spec, Resources held) {}

  boolean valid() {
    return error == null;
  }

  /** Plans an accept of {@code offer}; {@code takenNames} are the task names in use there. */
  static AcceptPlan of(OfferBook.Entry offer, OfferAnswer answer, Set<String> takenNames) {
    List<Launch> launches = new ArrayList<>();
    Resources pool = offer.offered();
    List<OfferOperation> operations = answer.operations() == null ? List.of() : answer.operations();
    for (OfferOperation operation : operations) {
      if (operation.type() != OfferOperation.Type.LAUNCH) {
        return refused("operation " + operation.type() + " is not supported yet; only LAUNCH is");
      }
      for (TaskTemplate template : operation.launch().tasks()) {
        TaskSpec spec = template.spec();
        String name = template.name();
        if (takenNames.contains(name)
            || launches.stream().anyMatch(l -> l.template.name().equals(name))) {
          return refused("task name " + name + " is already taken");
        }
        if (spec.agent() != null && !spec.agent().equals(offer.agent())) {
          return refused(
              "task "
                  + name
                  + " names agent "
                  + spec.agent()
                  + ", not the offer's "
                  + offer.agent());
        }
        if (spec.role() != null && !spec.role().equals(offer.role())) {
          return refused(
              "task " + name + " uses role " + spec.role() + ", not the offer's " + offer.role());
        }
        Optional<Resources> held =
            Claims.claim(pool, offer.role(), ResourceMapping.toAllocator(spec.charged()));
        if (held.isEmpty()) {
          return refused("task " + name + " needs more resources than the offer has left");
        }
        pool = pool.minus(held.get());
        launches.add(new Launch(template, bound(spec, offer), held.get()));
      }
    }
    return new AcceptPlan(launches, pool, null);
  }

  private static AcceptPlan refused(String error) {
    return new AcceptPlan(List.of(), Resources.EMPTY, error);
  }

  private static TaskSpec bound(TaskSpec spec, OfferBook.Entry offer) {
    return new TaskSpec(
        spec.framework(),
        offer.role(),
        spec.resources(),
        spec.command(),
        spec.container(),
        spec.healthCheck(),
        spec.killPolicy(),
        offer.agent(),
        offer.name(),
        spec.kill());
  }
}
