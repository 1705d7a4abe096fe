package io.tributary.client.consumer.internals;

import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of a {@link ClassicMembership}: one every heartbeat.interval.ms while the
 * member has a generation and is not joining or syncing, at most one in flight, and the
 * session's liveness (no successful heartbeat within session.timeout.ms makes the coordinator
 * be looked up again). Owns the heartbeat timers; network thread only.
 */
final class ClassicHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicHeartbeat.class);

    private final ClassicMembership m;
    private long nextHeartbeatMs;
    private long lastHeartbeatOkMs;
    private boolean inFlight;

    ClassicHeartbeat(ClassicMembership membership) {
        this.m = membership;
        this.lastHeartbeatOkMs = membership.time.milliseconds();
    }

    /** The coordinator confirmed the member at {@code nowMs} (SyncGroup or a heartbeat answered). */
    void sessionAlive(long nowMs) {
        lastHeartbeatOkMs = nowMs;
    }

    /** The next heartbeat is due one interval after {@code nowMs}. */
    void scheduleNext(long nowMs) {
        nextHeartbeatMs = nowMs + m.heartbeatIntervalMs;
    }

    void maybeSend(long nowMs) {
        MembershipPhase phase = m.phase();
        if (!m.hasValidGeneration()
                || inFlight
                || nowMs < nextHeartbeatMs
                || phase == MembershipPhase.JOINING
                || phase == MembershipPhase.SYNCING) {
            return;
        }
        if (nowMs - lastHeartbeatOkMs > m.sessionTimeoutMs && m.coordinator.known()) {
            m.coordinator.markUnknown("no successful heartbeat within session.timeout.ms");
        }
        inFlight = true;
        scheduleNext(nowMs);
        Generation sentWith = m.generation();
        HeartbeatRequestData req = new HeartbeatRequestData()
                .setGroupId(m.groupId)
                .setGenerationId(sentWith.generationId())
                .setMemberId(sentWith.memberId())
                .setGroupInstanceId(m.instanceId);
        m.coordinator.send(ApiMessageType.HEARTBEAT, req, nowMs).whenComplete((resp, err) -> {
            inFlight = false;
            if (err != null) {
                nextHeartbeatMs = m.time.milliseconds() + m.retryBackoffMs;
                return;
            }
            handle(resp.<HeartbeatResponseData>data(), sentWith);
        });
    }

    private void handle(HeartbeatResponseData data, Generation sentWith) {
        Errors error = Errors.forCode(data.errorCode);
        switch (error) {
            case NONE -> sessionAlive(m.time.milliseconds());
            case REBALANCE_IN_PROGRESS -> {
                sessionAlive(m.time.milliseconds());
                m.requestRejoin("group is already rebalancing");
            }
            case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                if (m.generation() == sentWith) {
                    LOG.info("Heartbeat of group {} failed with {}; the member lost its partitions", m.groupId, error);
                    if (error == Errors.UNKNOWN_MEMBER_ID) {
                        m.setMemberId("");
                    }
                    m.setGeneration(Generation.NO_GENERATION);
                    m.requestRejoin("heartbeat failed with " + error);
                }
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> m.coordinator.markUnknown(error.name());
            case FENCED_INSTANCE_ID ->
                m.fail(new FencedInstanceIdException("Static consumer with group.instance.id " + m.instanceId
                        + " was fenced by another consumer with the same id"));
            case GROUP_AUTHORIZATION_FAILED, INVALID_GROUP_ID ->
                m.fail(GroupErrors.exception(error, m.groupId, "Heartbeat of group " + m.groupId));
            default -> LOG.warn("Heartbeat of group {} failed with {}", m.groupId, error);
        }
    }
}
