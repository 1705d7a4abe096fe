package io.tributary.coordinator.consumer;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.record.Protocol;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Classic members of a consumer group (KIP-848 online migration): JoinGroup, SyncGroup, Heartbeat
 * and LeaveGroup from clients of the classic protocol, answered from the consumer group as Kafka
 * does. The coordinator assigns (no leader): a JoinGroup is the member's reconciliation step,
 * with the partitions it still owns taken from its subscription (an eager client owns nothing
 * when it rejoins); its generation is its member epoch; SyncGroup returns its current
 * partitions. A Heartbeat answers REBALANCE_IN_PROGRESS, to make the member rejoin, when the
 * group epoch moved past it, when it must give partitions up, or when partitions it waits for
 * became free. Owned by the coordinator thread.
 */
public final class ClassicMemberHandler {
    static final String PROTOCOL_TYPE = "consumer";

    private final ConsumerGroupManager manager;
    private final ConsumerGroupStore groups;

    ClassicMemberHandler(ConsumerGroupManager manager, ConsumerGroupStore groups) {
        this.manager = manager;
        this.groups = groups;
    }

    /** Whether classic requests for this id go to a consumer group (JoinGroup: a non-empty one). */
    public boolean handles(String groupId, boolean join) {
        ConsumerGroup g = groups.get(groupId);
        return g != null && (!join || !g.isEmpty());
    }

    // ---- JoinGroup

    public void join(RequestContext rc, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> out) {
        manager.ctx.respond(out, joinResponse(rc, req));
    }

    private JoinGroupResponseData joinResponse(RequestContext rc, JoinGroupRequestData req) {
        ConsumerGroup g = groups.get(req.groupId);
        String requested = req.memberId == null ? "" : req.memberId;
        boolean unknown = requested.isEmpty();
        String memberId = unknown ? UUID.randomUUID().toString() : requested;
        if (req.sessionTimeoutMs < manager.config.minSessionTimeoutMs()
                || req.sessionTimeoutMs > manager.config.maxSessionTimeoutMs()) {
            return joinError(requested, Errors.INVALID_SESSION_TIMEOUT);
        }
        if (g.members.size() >= manager.config.consumerMaxSize() && (unknown || !g.members.containsKey(memberId))) {
            return joinError(requested, Errors.GROUP_MAX_SIZE_REACHED);
        }
        List<Protocol> protocols = new ArrayList<>();
        req.protocols.forEach(p -> protocols.add(new Protocol(p.name, p.metadata)));
        // Apache 4.3 takes no classic member into a consumer group under the "disabled" policy.
        if (!supports(g, req.protocolType, protocols)
                || !manager.config.migrationUpgradeEnabled() && !manager.config.migrationDowngradeEnabled()) {
            return joinError(requested, Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        if (unknown && req.groupInstanceId == null && rc.apiVersion() >= 4) {
            // KIP-394's two steps, as for a classic group.
            return joinError(memberId, Errors.MEMBER_ID_REQUIRED);
        }
        boolean bump = false;
        boolean replacedConsumerProtocolMember = false;
        ConsumerMember m;
        ConsumerMember old = req.groupInstanceId == null ? null : g.memberByInstanceId(req.groupInstanceId);
        if (old != null && !old.memberId.equals(memberId)) {
            if (!unknown) {
                return joinError(requested, Errors.FENCED_INSTANCE_ID);
            }
            // A static member restarting takes its predecessor's place and partitions.
            int epoch = old.memberEpoch;
            replacedConsumerProtocolMember = !old.usesClassicProtocol();
            m = manager.replaceStatic(g, old, memberId);
            if (epoch != ConsumerMember.TEMPORARILY_LEFT) {
                m.memberEpoch = epoch;
            }
        } else {
            m = g.members.get(memberId);
            if (m == null) {
                m = new ConsumerMember(memberId);
                g.members.put(memberId, m);
                bump = true;
            }
        }
        ConsumerProtocolBytes.Subscription sub = GroupMigration.subscriptionOf(protocols, null);
        m.instanceId = req.groupInstanceId;
        if (sub.rackId() != null && !sub.rackId().isEmpty()) {
            m.rackId = sub.rackId();
        }
        m.rebalanceTimeoutMs =
                rc.apiVersion() == 0 || req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
        List<String> names = List.copyOf(new TreeSet<>(sub.topics()));
        if (!names.equals(m.subscribedTopicNames) || m.subscribedTopicRegex != null || m.serverAssignor != null) {
            m.subscribedTopicNames = names;
            m.subscribedTopicRegex = null;
            m.serverAssignor = null;
            bump = true;
        }
        m.classicProtocols = List.copyOf(protocols);
        m.classicSessionTimeoutMs = req.sessionTimeoutMs;
        m.clientId = rc.clientId();
        m.clientHost = rc.clientHost();
        TreeMap<UUID, Integer> subscribed = manager.subscribedTopics(g);
        if (!subscribed.toString().equals(g.metadataFingerprint)) {
            g.metadataFingerprint = subscribed.toString();
            bump = true;
        }
        if (bump) {
            g.groupEpoch++;
            manager.computeTarget(g, subscribed);
        }
        reconcile(g, m, GroupMigration.byId(sub.owned(), manager.topics.get()));
        JoinGroupResponseData resp = new JoinGroupResponseData()
                .setMemberId(m.memberId)
                .setGenerationId(m.memberEpoch)
                .setProtocolType(PROTOCOL_TYPE)
                .setProtocolName(m.classicProtocolName())
                .setLeader("");
        if (replacedConsumerProtocolMember && manager.maybeDowngradeAfterReplacement(g)) {
            return resp;
        }
        manager.persist(g);
        manager.scheduleSession(g.groupId, m);
        manager.scheduleClassicDeadline(g.groupId, m, "did not send SyncGroup within its rebalance timeout", true);
        return resp;
    }

    /**
     * Steps the member as far as what it owns allows: a member that no longer owns what it must
     * give up moves on to the assignment epoch at once and gets the free part of its target.
     */
    private void reconcile(ConsumerGroup g, ConsumerMember m, TreeMap<UUID, TreeSet<Integer>> owned) {
        boolean revokingBefore = !m.revoking.isEmpty();
        for (int i = 0; i < 3; i++) {
            int epoch = m.memberEpoch;
            TreeMap<UUID, TreeSet<Integer>> assigned = Partitions.copy(m.assigned);
            TreeMap<UUID, TreeSet<Integer>> revoking = Partitions.copy(m.revoking);
            Reconciler.reconcile(g, m, owned);
            if (epoch == m.memberEpoch
                    && Partitions.same(assigned, m.assigned)
                    && Partitions.same(revoking, m.revoking)) {
                break;
            }
        }
        if (!m.revoking.isEmpty() && !revokingBefore) {
            manager.scheduleRevocationDeadline(g, m);
        } else if (m.revoking.isEmpty()) {
            manager.ctx.cancel(ConsumerGroupManager.revokeKey(g.groupId, m.memberId));
        }
    }

    /** Kafka's supportsClassicProtocols: the consumer protocol type, and a protocol every classic member offers. */
    private static boolean supports(ConsumerGroup g, String protocolType, List<Protocol> protocols) {
        if (!PROTOCOL_TYPE.equals(protocolType) || protocols.isEmpty()) {
            return false;
        }
        for (Protocol p : protocols) {
            boolean all = true;
            for (ConsumerMember m : g.members.values()) {
                if (m.usesClassicProtocol()
                        && m.classicProtocols.stream().noneMatch(q -> q.name().equals(p.name()))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData()
                .setMemberId(memberId)
                .setGenerationId(-1)
                .setLeader("")
                .setErrorCode(error.code());
    }

    // ---- SyncGroup and Heartbeat

    /** The member the request names, or the error Kafka gives (validateConsumerGroupMember and the classic checks). */
    private static Object member(ConsumerGroup g, String memberId, String instanceId, int generationId) {
        ConsumerMember m;
        if (instanceId != null) {
            m = g.memberByInstanceId(instanceId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!m.memberId.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        } else {
            m = g.members.get(memberId);
        }
        if (m == null || !m.usesClassicProtocol()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return generationId == m.memberEpoch ? m : Errors.ILLEGAL_GENERATION;
    }

    public void sync(RequestContext rc, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> out) {
        ConsumerGroup g = groups.get(req.groupId);
        Object found = g == null || g.isEmpty()
                ? Errors.UNKNOWN_MEMBER_ID
                : member(g, req.memberId, req.groupInstanceId, req.generationId);
        if (found instanceof Errors e) {
            manager.ctx.respond(out, new SyncGroupResponseData().setErrorCode(e.code()));
            return;
        }
        ConsumerMember m = (ConsumerMember) found;
        if (req.protocolType != null && !PROTOCOL_TYPE.equals(req.protocolType)
                || req.protocolName != null && !req.protocolName.equals(m.classicProtocolName())) {
            manager.ctx.respond(
                    out, new SyncGroupResponseData().setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code()));
            return;
        }
        // A member with partitions to give up gets them taken out of its assignment first.
        if (g.groupEpoch > m.memberEpoch && m.revoking.isEmpty()) {
            manager.scheduleClassicDeadline(g.groupId, m, "did not rejoin within its rebalance timeout", true);
            manager.ctx.respond(out, new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
            return;
        }
        manager.scheduleSession(g.groupId, m);
        manager.ctx.cancel(ConsumerGroupManager.classicKey(g.groupId, m.memberId));
        manager.ctx.respond(
                out,
                new SyncGroupResponseData()
                        .setProtocolType(PROTOCOL_TYPE)
                        .setProtocolName(m.classicProtocolName())
                        .setAssignment(ConsumerProtocolBytes.assignment(
                                GroupMigration.byName(m.assigned, manager.topics.get()))));
    }

    public void heartbeat(RequestContext rc, HeartbeatRequestData req, CompletableFuture<HeartbeatResponseData> out) {
        ConsumerGroup g = groups.get(req.groupId);
        Object found =
                g == null ? Errors.UNKNOWN_MEMBER_ID : member(g, req.memberId, req.groupInstanceId, req.generationId);
        Errors error;
        if (found instanceof Errors e) {
            error = e;
        } else {
            ConsumerMember m = (ConsumerMember) found;
            manager.scheduleSession(g.groupId, m);
            error = mustRejoin(g, m) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
            if (error == Errors.REBALANCE_IN_PROGRESS) {
                manager.scheduleClassicDeadline(g.groupId, m, "did not rejoin within its rebalance timeout", false);
            }
        }
        manager.ctx.respond(out, new HeartbeatResponseData().setErrorCode(error.code()));
    }

    private static boolean mustRejoin(ConsumerGroup g, ConsumerMember m) {
        if (m.memberEpoch < g.groupEpoch || !m.revoking.isEmpty()) {
            return true;
        }
        TreeMap<UUID, TreeSet<Integer>> pending = Partitions.minus(g.targetOf(m.memberId), m.assigned);
        if (pending.isEmpty()) {
            return false;
        }
        for (Map.Entry<UUID, TreeSet<Integer>> e : pending.entrySet()) {
            for (int p : e.getValue()) {
                if (g.ownedByOther(m.memberId, e.getKey(), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- LeaveGroup

    public void leave(RequestContext rc, LeaveGroupRequestData req, CompletableFuture<LeaveGroupResponseData> out) {
        ConsumerGroup g = groups.get(req.groupId);
        List<LeaveGroupRequestData.MemberIdentity> identities = rc.apiVersion() <= 2
                ? List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId))
                : req.members;
        List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
        for (LeaveGroupRequestData.MemberIdentity id : identities) {
            Errors error = leaveOne(g, id);
            responses.add(new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(id.memberId)
                    .setGroupInstanceId(id.groupInstanceId)
                    .setErrorCode(error.code()));
        }
        LeaveGroupResponseData resp = new LeaveGroupResponseData();
        if (rc.apiVersion() <= 2) {
            resp.setErrorCode(responses.get(0).errorCode);
        } else {
            resp.setMembers(responses);
        }
        manager.ctx.respond(out, resp);
    }

    private Errors leaveOne(ConsumerGroup g, LeaveGroupRequestData.MemberIdentity id) {
        g = g == null ? null : groups.get(g.groupId);
        if (g == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        String memberId = id.memberId == null ? "" : id.memberId;
        ConsumerMember m;
        if (id.groupInstanceId != null) {
            m = g.memberByInstanceId(id.groupInstanceId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !Objects.equals(m.memberId, memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        } else {
            m = g.members.get(memberId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        }
        manager.remove(g, m, "left the group (LeaveGroup)");
        return Errors.NONE;
    }
}
