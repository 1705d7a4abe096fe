package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.LeaveGroupRequestData;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link ClassicMembership} leaves: on close or unsubscribe (revoke or lose the owned
 * partitions, then LeaveGroup) and when max.poll.interval.ms expires (LeaveGroup, then rejoin
 * at the next poll). Only dynamic members send LeaveGroup; static members leave by session
 * timeout, as Kafka. Network thread only.
 */
final class ClassicLeave {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicLeave.class);

    private final ClassicMembership m;

    ClassicLeave(ClassicMembership membership) {
        this.m = membership;
    }

    /** Close or unsubscribe: completes once LeaveGroup was answered (or was not needed). */
    CompletableFuture<Void> leave(String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Set<TopicPartition> owned =
                m.subscriptions.hasAutoAssignment() ? m.subscriptions.assignedPartitions() : Set.of();
        // Revoked or lost partitions are dropped by the application thread after their listener ran.
        Runnable finish = () -> sendLeave(m.time.milliseconds(), reason).whenComplete((v, e) -> {
            m.setGeneration(Generation.NO_GENERATION);
            m.setMemberId("");
            m.transitionTo(MembershipPhase.IDLE);
            // A later subscribe() asks for the next join (onSubscriptionChanged).
            m.clearRejoinNeeded();
            done.complete(null);
        });
        m.transitionTo(MembershipPhase.LEAVING);
        m.abandonCallback();
        if (owned.isEmpty()) {
            finish.run();
        } else {
            m.callback(
                    m.hasValidGeneration()
                            ? BackgroundEvent.RebalanceCallback.Kind.REVOKED
                            : BackgroundEvent.RebalanceCallback.Kind.LOST,
                    owned,
                    finish);
        }
        return done;
    }

    /** max.poll.interval.ms expired: leave now, rejoin when the application polls again. */
    void pollTimeout(long nowMs) {
        LOG.warn(
                "consumer poll timeout has expired. This means the time between subsequent calls to poll() was"
                        + " longer than the configured max.poll.interval.ms ({} ms), which typically implies that the poll"
                        + " loop is spending too much time processing messages. Leaving group {}.",
                m.rebalanceTimeoutMs,
                m.groupId);
        sendLeave(nowMs, "consumer poll timeout has expired.");
        m.setGeneration(Generation.NO_GENERATION);
        if (m.instanceId == null) {
            m.setMemberId("");
        }
        m.transitionTo(MembershipPhase.IDLE);
        m.requestRejoin("the poll timeout expired");
    }

    /** LeaveGroup for dynamic members; static members leave by session timeout (as Kafka). */
    private CompletableFuture<Void> sendLeave(long nowMs, String reason) {
        String memberId = m.memberId();
        if (m.instanceId != null || memberId.isEmpty() || !m.coordinator.known()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info(
                "Member {} sending LeaveGroup request to coordinator of group {} due to {}",
                memberId,
                m.groupId,
                reason);
        LeaveGroupRequestData req = new LeaveGroupRequestData()
                .setGroupId(m.groupId)
                .setMemberId(memberId)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity()
                        .setMemberId(memberId)
                        .setReason(reason)));
        return m.coordinator.send(ApiMessageType.LEAVE_GROUP, req, nowMs).handle((r, e) -> null);
    }
}
