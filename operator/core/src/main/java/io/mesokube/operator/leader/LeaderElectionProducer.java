package io.mesokube.operator.leader;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.mesokube.operator.config.MesokubeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Configures Java Operator SDK's Lease-based leader election from {@link MesokubeConfig}. */
@ApplicationScoped
public class LeaderElectionProducer {

  @Produces
  @ApplicationScoped
  LeaderElectionConfiguration leaderElection(MesokubeConfig config, Leadership leadership) {
    MesokubeConfig.Leader leader = config.leader();
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leader.leaseName())
        .withLeaseNamespace(leader.leaseNamespace())
        .withIdentity(leadership.identity())
        .withLeaseDuration(leader.leaseDuration())
        .withRenewDeadline(leader.renewDeadline())
        .withRetryPeriod(leader.retryPeriod())
        .withLeaderCallbacks(
            new LeaderCallbacks(
                leadership::startedLeading, leadership::stoppedLeading, newLeader -> {}))
        // The builder of this Java Operator SDK version does not exit on a lost Lease (its
        // exitOnStopLeading is false and cannot be set): Leadership.stoppedLeading exits instead.
        .build();
  }
}
