package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run of Mesos' two-stage allocation over a set of agents.
 *
 * <p>Stage 1 walks the agents and gives roles with unsatisfied quota guarantees up to their
 * guarantee. Stage 2 walks them again and gives every role its fair share of what is left, never
 * eating into the headroom that unsatisfied guarantees still need. In both stages a role never
 * passes its quota limits and reserved resources go only to their role and its descendants.
 */
final class AllocationCycle {
  private final AllocatorState state;
  private final long now;
  private final int cycle;
  private final int kinds = ScalarNames.count();
  private final long[] scratch = new long[kinds];
  private final long[] rootBefore = new long[kinds];
  private final MinAllocatable minAllocatable;
  private final List<Offer> offers = new ArrayList<>();
  private final CycleCounters counters;
  private QuotaHeadroom headroom;
  private Candidate candidate;
  // Roles with clients for which every minimum-allocatable alternative is impossible this stage.
  private int closedRoles;
  private boolean quotaStageMadeOffers;

  AllocationCycle(AllocatorState state, long now, int cycle) {
    this.state = state;
    this.now = now;
    this.cycle = cycle;
    this.counters = new CycleCounters(cycle);
    this.minAllocatable = new MinAllocatable(state.options.minAllocatableResources(), kinds);
  }

  /** Runs both stages over the agents, in the given (already shuffled) order. */
  AllocationResult run(Agent[] order, int count, int unavailable) {
    headroom = new QuotaHeadroom(state.roles, state.agentList);
    candidate = new Candidate(kinds, minAllocatable, state.roles, headroom);
    if (headroom.active()) {
      stage(order, count, true);
      quotaStageMadeOffers = !offers.isEmpty();
    }
    stage(order, count, false);
    List<Offer> made = quotaStageMadeOffers ? OfferMerger.merge(offers) : offers;
    return new AllocationResult(
        made, CycleSummary.build(state, counters, count + unavailable, unavailable, made.size()));
  }

  private void stage(Agent[] agents, int count, boolean quotaStage) {
    int stamp = cycle * 2 + (quotaStage ? 1 : 0);
    int unmet = quotaStage ? markMetGuarantees(stamp) : 0;
    closedRoles = 0;
    int bulkSkipped = 0;
    for (int a = 0; a < count && (!quotaStage || unmet > 0); a++) {
      Agent agent = agents[a];
      if (!anythingAllocatable(agent)) {
        continue;
      }
      if (closedRoles == state.roleSorter.count() && !agent.hasReservedAvailable) {
        // No role has room for any alternative: only reserved resources could still go out.
        bulkSkipped++;
        continue;
      }
      int agentMask = minAllocatable.mask(agent.unreserved);
      roles:
      for (Role role : state.roleSorter.sort()) {
        Role guaranteed = null;
        if (quotaStage) {
          guaranteed = RoleTree.nearestGuaranteed(role);
          if (guaranteed == null || guaranteed.metStamp == stamp) {
            continue;
          }
        }
        if (role.impossibleStamp == stamp
            && !agent.hasReservedAvailable
            && (agentMask & ~role.impossible) == 0) {
          // Every alternative the agent could fill is one the role has no room for any more.
          counters.skip(role, role.impossibleReason, 1);
          continue;
        }
        if (!candidate.compute(agent, role, guaranteed)) {
          noteImpossible(role, guaranteed, stamp);
          counters.skip(role, candidate.reason(), 1);
          continue;
        }
        for (Client client : state.frameworkSorter(role).sort()) {
          if (agent.hasGpus && !client.framework.gpuCapable) {
            counters.skip(client, SkipReason.GPU_WITHHELD);
            continue;
          }
          if (isFiltered(agent, client, role)) {
            counters.skip(client, SkipReason.FILTERED);
            continue;
          }
          allocate(client, agent, candidate.resources(agent, role));
          if (quotaStage) {
            unmet -= markMet(client.role, stamp);
          }
          if (!anythingAllocatable(agent)) {
            break roles;
          }
          agentMask = minAllocatable.mask(agent.unreserved);
          if ((quotaStage && guaranteed.metStamp == stamp)
              || !candidate.compute(agent, role, guaranteed)) {
            continue roles;
          }
        }
      }
    }
    if (bulkSkipped > 0) {
      for (Role role : state.roleSorter.sort()) {
        counters.skip(role, role.impossibleReason, bulkSkipped);
      }
    }
  }

  /** Stamps the roles whose guarantees are met; returns how many are not. */
  private int markMetGuarantees(int stamp) {
    int unmet = 0;
    for (Role role : state.roles.all()) {
      if (role.hasGuarantees()) {
        if (role.guaranteesMet()) {
          role.metStamp = stamp;
        } else {
          unmet++;
        }
      }
    }
    return unmet;
  }

  /** After an allocation to a role, stamps the guarantees on its path it just met. */
  private static int markMet(Role role, int stamp) {
    int met = 0;
    for (Role r = role; r != null; r = r.parent) {
      if (r.hasGuarantees() && r.metStamp != stamp && r.guaranteesMet()) {
        r.metStamp = stamp;
        met++;
      }
    }
    return met;
  }

  /**
   * Records which minimum-allocatable alternatives no longer fit in the role's room. Room only
   * shrinks within a stage (allocations add consumption and use up headroom), so they stay
   * impossible until the stage ends.
   */
  private void noteImpossible(Role role, Role guaranteed, int stamp) {
    int fits = minAllocatable.mask(candidate.cap);
    // Agents skipped for these alternatives are skipped for the role's room, not their own size.
    SkipReason reason = candidate.roomReason(fits);
    if (guaranteed != null && !candidate.anyGuaranteedRoom(guaranteed)) {
      fits = 0;
    }
    if (role.impossibleStamp != stamp) {
      role.impossibleStamp = stamp;
      role.impossible = 0;
    }
    boolean wasClosed = role.impossible == -1;
    role.impossible |= ~fits;
    if (!wasClosed && role.impossible == -1) {
      closedRoles++;
    }
    role.impossibleReason = reason;
  }

  /**
   * Whether a filter of the client covers what the role would be offered on the agent now. Without
   * reservations on the agent this compares a few longs; otherwise it compares resources.
   */
  private boolean isFiltered(Agent agent, Client client, Role role) {
    RefusedResources refused = agent.filter(client.slot);
    if (refused == null) {
      return false;
    }
    if (now >= agent.filterExpiry(client.slot)) {
      agent.clearFilter(client.slot);
      return false;
    }
    if (!agent.hasReservedAvailable) {
      return refused.coversUnreserved(agent, candidate.amounts);
    }
    return refused.refused.contains(candidate.resources(agent, role));
  }

  private boolean anythingAllocatable(Agent agent) {
    for (int k = 0; k < kinds; k++) {
      scratch[k] =
          (k < agent.unreserved.length ? agent.unreserved[k] + agent.reservedAvailable[k] : 0);
    }
    return minAllocatable.allows(scratch);
  }

  private void allocate(Client client, Agent agent, Resources resources) {
    Role root = headroom.active() ? RoleTree.quotaRoot(client.role) : null;
    if (root != null) {
      for (int k = 0; k < kinds; k++) {
        rootBefore[k] = root.remainingGuarantee(k);
      }
    }
    Arrays.fill(scratch, 0);
    resources.unreserved().addQuantitiesTo(scratch);
    Resources allocated = resources.allocatedTo(client.role.path);
    state.allocate(client, agent, allocated);
    headroom.allocated(scratch, root, rootBefore);
    offers.add(new Offer(client.framework.id, client.role.path, agent.id, allocated));
  }
}
