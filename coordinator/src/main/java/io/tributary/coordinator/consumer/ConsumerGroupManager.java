package io.tributary.coordinator.consumer;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.TopicMetadata;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConsumerGroupHeartbeat (KIP-848) for the groups of {@link ConsumerGroupStore}: joins, leaves,
 * subscription and topic changes bump the group epoch and recompute the target assignment; each
 * member then reconciles on its own heartbeats, giving up partitions before any other member is
 * given them ({@link Reconciler}). Session timeouts (group.consumer.session.timeout.ms) and
 * revocation deadlines (the member's rebalance timeout) are timers on the coordinator's clock.
 * Every change is persisted as the group's whole record. Owned by the coordinator thread.
 */
public final class ConsumerGroupManager {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupManager.class);
    static final int LEAVE_EPOCH = -1;

    final ShardContext ctx;
    final GroupCoordinatorConfig config;
    private final ConsumerGroupStore groups;
    final Supplier<TopicMetadata> topics;
    private final ClassicSnapshot.ClassicSide classic;
    private final ClassicMemberHandler classicMembers;
    private final GroupLags lags;
    private final ConsumerGroupOffsetChecks offsetChecks;

    public ConsumerGroupManager(
            ShardContext ctx,
            GroupCoordinatorConfig config,
            ConsumerGroupStore groups,
            Supplier<TopicMetadata> topics,
            ClassicSnapshot.ClassicSide classic,
            GroupLags lags) {
        this.ctx = ctx;
        this.lags = lags;
        this.offsetChecks = new ConsumerGroupOffsetChecks(this, groups);
        this.config = config;
        this.groups = groups;
        this.topics = topics;
        this.classic = classic;
        this.classicMembers = new ClassicMemberHandler(this, groups);
        groups.setRemovalListener(g -> g.members.keySet().forEach(m -> cancelTimers(g.groupId, m)));
    }

    /** JoinGroup, SyncGroup, Heartbeat and LeaveGroup of classic members of consumer groups. */
    public ClassicMemberHandler classicMembers() {
        return classicMembers;
    }

    public ConsumerGroupStore store() {
        return groups;
    }

    /** The consumer groups' part in OffsetCommit and OffsetFetch. */
    public ConsumerGroupOffsetChecks offsetChecks() {
        return offsetChecks;
    }

    // ---- ConsumerGroupHeartbeat

    public void heartbeat(
            RequestContext rc,
            ConsumerGroupHeartbeatRequestData req,
            CompletableFuture<ConsumerGroupHeartbeatResponseData> out) {
        ConsumerGroupHeartbeatResponseData resp;
        try {
            resp = handle(rc, req);
        } catch (HeartbeatError e) {
            resp = new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(e.error.code())
                    .setErrorMessage(e.getMessage())
                    .setMemberId(req.memberId)
                    .setMemberEpoch(req.memberEpoch);
        }
        ctx.respond(out, resp);
    }

    /** A request refused with one of Kafka's errors and its message. */
    static final class HeartbeatError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Errors error;

        HeartbeatError(Errors error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    private ConsumerGroupHeartbeatResponseData handle(RequestContext rc, ConsumerGroupHeartbeatRequestData req) {
        validate(rc, req);
        String groupId = req.groupId;
        ConsumerGroup existing = groups.get(groupId);
        if (existing == null && classic.inUse(groupId)) {
            ClassicSnapshot snapshot =
                    req.memberEpoch == 0 ? classic.upgrade(groupId, GroupMigration::convertible) : null;
            if (snapshot == null) {
                throw new HeartbeatError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
            }
            existing = GroupMigration.fromClassic(groupId, snapshot, groups, topics.get(), config);
            existing.metadataFingerprint = subscribedTopics(existing).toString();
            // Persisted at once: the classic group is gone even if this member's join fails.
            persist(existing);
            for (ConsumerMember m : existing.members.values()) {
                scheduleSession(groupId, m);
            }
        }
        if (req.memberEpoch == LEAVE_EPOCH || req.memberEpoch == ConsumerMember.TEMPORARILY_LEFT) {
            return leave(existing, req);
        }
        if (existing == null && req.memberEpoch != 0) {
            throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has no member " + req.memberId);
        }
        if (existing == null) {
            classic.takeOverEmpty(groupId);
        }
        ConsumerGroup g = existing == null ? groups.getOrCreate(groupId) : existing;
        try {
            return join(rc, g, req);
        } finally {
            if (existing == null) {
                groups.dropUnpersisted(groupId);
            }
        }
    }

    private ConsumerGroupHeartbeatResponseData join(
            RequestContext rc, ConsumerGroup g, ConsumerGroupHeartbeatRequestData req) {
        boolean bump = false;
        ConsumerMember m;
        if (req.memberEpoch == 0) {
            m = g.members.get(req.memberId);
            ConsumerMember old = req.instanceId == null ? null : g.memberByInstanceId(req.instanceId);
            if (old != null && old != m) {
                if (old.memberEpoch != ConsumerMember.TEMPORARILY_LEFT) {
                    throw new HeartbeatError(
                            Errors.UNRELEASED_INSTANCE_ID,
                            "Static member " + req.instanceId + " is still in use by " + old.memberId);
                }
                // A static member back from a restart takes its predecessor's place, epoch and
                // partitions: no rebalance (KIP-848 static membership).
                m = replaceStatic(g, old, req.memberId);
            } else if (m == null) {
                if (g.members.size() >= config.consumerMaxSize()) {
                    throw new HeartbeatError(
                            Errors.GROUP_MAX_SIZE_REACHED,
                            "The consumer group has reached its maximum capacity of " + config.consumerMaxSize()
                                    + " members.");
                }
                m = new ConsumerMember(req.memberId);
                m.instanceId = req.instanceId;
                g.members.put(m.memberId, m);
                bump = true;
            } else if (m.memberEpoch != 0 || !m.assigned.isEmpty() || !m.revoking.isEmpty()) {
                // A known member joining afresh lost its state: it owns nothing any more.
                m.assigned = Partitions.empty();
                m.revoking = Partitions.empty();
                m.memberEpoch = 0;
            }
        } else {
            m = g.members.get(req.memberId);
            if (m == null) {
                throw new HeartbeatError(
                        Errors.UNKNOWN_MEMBER_ID, "Member " + req.memberId + " is not in group " + g.groupId);
            }
            checkEpoch(m, req);
        }
        m.clientId = rc.clientId();
        m.clientHost = rc.clientHost();
        if (req.rackId != null) {
            m.rackId = req.rackId;
        }
        if (req.rebalanceTimeoutMs > 0) {
            m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
        }
        bump |= updateSubscription(m, req);
        TreeMap<UUID, Integer> subscribed = subscribedTopics(g);
        String fingerprint = subscribed.toString();
        if (!fingerprint.equals(g.metadataFingerprint)) {
            g.metadataFingerprint = fingerprint;
            bump = true;
        }
        if (bump) {
            g.groupEpoch++;
            computeTarget(g, subscribed);
        }
        Map<UUID, TreeSet<Integer>> before = Partitions.copy(m.assigned);
        TreeMap<UUID, TreeSet<Integer>> owned = owned(req);
        boolean revokingBefore = !m.revoking.isEmpty();
        Reconciler.reconcile(g, m, owned);
        if (!m.revoking.isEmpty() && !revokingBefore) {
            scheduleRevocationDeadline(g, m);
        } else if (m.revoking.isEmpty()) {
            ctx.cancel(revokeKey(g.groupId, m.memberId));
        }
        persist(g);
        scheduleSession(g.groupId, m);
        ConsumerGroupHeartbeatResponseData resp = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(m.memberId)
                .setMemberEpoch(m.memberEpoch)
                .setHeartbeatIntervalMs(config.consumerHeartbeatIntervalMs());
        if (req.memberEpoch == 0
                || !Partitions.same(before, m.assigned)
                || owned != null && !Partitions.same(owned, m.assigned)) {
            resp.setAssignment(assignmentOf(m.assigned));
        }
        return resp;
    }

    private void validate(RequestContext rc, ConsumerGroupHeartbeatRequestData req) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (req.instanceId != null && req.instanceId.isEmpty()) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
        }
        if (req.rackId != null && req.rackId.isEmpty()) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        boolean noMemberId = req.memberId == null || req.memberId.isEmpty();
        if (req.memberEpoch == 0) {
            if (noMemberId) {
                if (rc.apiVersion() >= 1) {
                    // KIP-1082: from v1 the client names itself.
                    throw new HeartbeatError(Errors.INVALID_REQUEST, "MemberId can't be empty.");
                }
                req.setMemberId(UUID.randomUUID().toString());
            }
            if (req.rebalanceTimeoutMs == -1) {
                throw new HeartbeatError(
                        Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (req.topicPartitions == null || !req.topicPartitions.isEmpty()) {
                throw new HeartbeatError(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            if (req.subscribedTopicNames == null && req.subscribedTopicRegex == null) {
                throw new HeartbeatError(
                        Errors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        } else if (noMemberId) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        } else if (req.memberEpoch < ConsumerMember.TEMPORARILY_LEFT) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        } else if (req.memberEpoch == ConsumerMember.TEMPORARILY_LEFT && req.instanceId == null) {
            throw new HeartbeatError(Errors.INVALID_REQUEST, "InstanceId can't be null for a static member leaving.");
        }
        if (req.serverAssignor != null && !config.consumerAssignors().contains(req.serverAssignor)) {
            throw new HeartbeatError(
                    Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + req.serverAssignor + " is not supported.");
        }
        if (req.subscribedTopicRegex != null) {
            if (!TopicRegex.isValid(req.subscribedTopicRegex)) {
                throw new HeartbeatError(
                        Errors.INVALID_REGULAR_EXPRESSION,
                        "SubscribedTopicRegex " + req.subscribedTopicRegex + " is not a valid regular expression.");
            }
        }
    }

    /**
     * The member's epoch must be its current one, or its previous one when it still owns no more
     * than it is assigned (a response with the new epoch was lost); anything else is fenced.
     */
    private static void checkEpoch(ConsumerMember m, ConsumerGroupHeartbeatRequestData req) {
        if (req.memberEpoch == m.memberEpoch) {
            return;
        }
        TreeMap<UUID, TreeSet<Integer>> owned = owned(req);
        if (req.memberEpoch == m.previousMemberEpoch
                && owned != null
                && Partitions.minus(owned, m.assigned).isEmpty()) {
            return;
        }
        throw new HeartbeatError(
                Errors.FENCED_MEMBER_EPOCH,
                "The consumer group member has a member epoch (" + req.memberEpoch + ") which is not the one expected ("
                        + m.memberEpoch + ").");
    }

    private boolean updateSubscription(ConsumerMember m, ConsumerGroupHeartbeatRequestData req) {
        boolean changed = false;
        if (req.subscribedTopicNames != null) {
            List<String> names = List.copyOf(new TreeSet<>(req.subscribedTopicNames));
            if (!names.equals(m.subscribedTopicNames)) {
                m.subscribedTopicNames = names;
                changed = true;
            }
            if (req.subscribedTopicRegex == null && m.subscribedTopicRegex != null && req.memberEpoch == 0) {
                m.subscribedTopicRegex = null;
                changed = true;
            }
        }
        if (req.subscribedTopicRegex != null) {
            String regex = req.subscribedTopicRegex.isEmpty() ? null : req.subscribedTopicRegex;
            if (!java.util.Objects.equals(regex, m.subscribedTopicRegex)) {
                m.subscribedTopicRegex = regex;
                changed = true;
            }
        }
        if (req.serverAssignor != null && !req.serverAssignor.equals(m.serverAssignor)) {
            m.serverAssignor = req.serverAssignor;
            changed = true;
        }
        return changed;
    }

    /** Every existing topic some member subscribes to (by name or regex): id to partition count. */
    TreeMap<UUID, Integer> subscribedTopics(ConsumerGroup g) {
        TreeMap<UUID, Integer> out = new TreeMap<>();
        for (ConsumerMember m : g.members.values()) {
            for (TopicMetadata.Topic t : topicsOf(m)) {
                out.put(t.id(), t.partitions());
            }
        }
        return out;
    }

    private List<TopicMetadata.Topic> topicsOf(ConsumerMember m) {
        TopicMetadata md = topics.get();
        Set<String> names = new TreeSet<>(m.subscribedTopicNames);
        if (m.subscribedTopicRegex != null) {
            for (String n : md.names()) {
                if (TopicRegex.matches(m.subscribedTopicRegex, n)) {
                    names.add(n);
                }
            }
        }
        List<TopicMetadata.Topic> out = new ArrayList<>();
        for (String n : names) {
            TopicMetadata.Topic t = md.byName(n);
            if (t != null && t.partitions() > 0) {
                out.add(t);
            }
        }
        return out;
    }

    void computeTarget(ConsumerGroup g, TreeMap<UUID, Integer> partitions) {
        TreeMap<String, Set<UUID>> subscriptions = new TreeMap<>();
        String assignor = null;
        for (ConsumerMember m : g.members.values()) {
            Set<UUID> ids = new HashSet<>();
            topicsOf(m).forEach(t -> ids.add(t.id()));
            subscriptions.put(m.memberId, ids);
            if (assignor == null && m.serverAssignor != null) {
                assignor = m.serverAssignor;
            }
        }
        g.assignorName =
                assignor != null ? assignor : config.consumerAssignors().get(0);
        TopicMetadata md = topics.get();
        TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> target =
                ServerAssignors.assign(g.assignorName, subscriptions, partitions, g.target, (id, p) -> {
                    TopicMetadata.Topic t = md.byId(id);
                    return t == null ? 0 : lags.lag(g.groupId, t.name(), p);
                });
        g.target.clear();
        g.target.putAll(target);
        g.assignmentEpoch = g.groupEpoch;
        LOG.info(
                "Consumer group {} at epoch {}: {} members, target by {}",
                g.groupId,
                g.groupEpoch,
                g.members.size(),
                g.assignorName);
    }

    ConsumerMember replaceStatic(ConsumerGroup g, ConsumerMember old, String newMemberId) {
        cancelTimers(g.groupId, old.memberId);
        g.members.remove(old.memberId);
        TreeMap<UUID, TreeSet<Integer>> target = g.target.remove(old.memberId);
        old.memberId = newMemberId;
        old.memberEpoch = old.previousMemberEpoch;
        g.members.put(newMemberId, old);
        g.target.put(newMemberId, target == null ? Partitions.empty() : target);
        return old;
    }

    // ---- leaving and being fenced

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroup g, ConsumerGroupHeartbeatRequestData req) {
        ConsumerMember m = g == null ? null : g.members.get(req.memberId);
        if (m == null) {
            throw new HeartbeatError(Errors.UNKNOWN_MEMBER_ID, "Member " + req.memberId + " is not in the group.");
        }
        if (req.memberEpoch == ConsumerMember.TEMPORARILY_LEFT) {
            // The static member keeps its partitions until its session times out or it comes back.
            m.previousMemberEpoch = m.memberEpoch;
            m.memberEpoch = ConsumerMember.TEMPORARILY_LEFT;
            persist(g);
        } else {
            remove(g, m, "left the group");
        }
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(req.memberId)
                .setMemberEpoch(req.memberEpoch)
                .setHeartbeatIntervalMs(0);
    }

    /**
     * Drops a member (left, session expired, or never revoked in time): its partitions are free.
     * When it was the last member speaking the consumer protocol and classic members remain, the
     * group goes back to being a classic group (KIP-848 online downgrade) if the policy allows.
     */
    void remove(ConsumerGroup g, ConsumerMember m, String why) {
        LOG.info("Member {} of consumer group {} {}", m.memberId, g.groupId, why);
        cancelTimers(g.groupId, m.memberId);
        g.members.remove(m.memberId);
        g.target.remove(m.memberId);
        if (!m.usesClassicProtocol() && GroupMigration.canDowngrade(g, config)) {
            ClassicSnapshot snapshot = GroupMigration.toClassic(g, topics.get());
            LOG.info("Consumer group {} goes back to the classic protocol: only classic members remain", g.groupId);
            ctx.append(ConsumerGroupCodec.tombstone(g.groupId));
            classic.downgrade(g.groupId, snapshot, true);
            return;
        }
        g.groupEpoch++;
        TreeMap<UUID, Integer> subscribed = subscribedTopics(g);
        g.metadataFingerprint = subscribed.toString();
        computeTarget(g, subscribed);
        persist(g);
    }

    /**
     * Kafka's downgrade on static replacement: a classic static member took the place of the last
     * member speaking the consumer protocol, so the group becomes classic again, without a rebalance.
     */
    boolean maybeDowngradeAfterReplacement(ConsumerGroup g) {
        if (!GroupMigration.canDowngrade(g, config)) {
            return false;
        }
        LOG.info(
                "Consumer group {} goes back to the classic protocol: a classic static member replaced the last"
                        + " consumer-protocol one",
                g.groupId);
        ClassicSnapshot snapshot = GroupMigration.toClassic(g, topics.get());
        ctx.append(ConsumerGroupCodec.tombstone(g.groupId));
        classic.downgrade(g.groupId, snapshot, false);
        return true;
    }

    void persist(ConsumerGroup g) {
        CoordinatorRecord r = ConsumerGroupCodec.record(g);
        if (!groups.isPersisted(g.groupId, r)) {
            ctx.append(r);
        }
    }

    public CoordinatorRecord tombstone(String groupId) {
        return ConsumerGroupCodec.tombstone(groupId);
    }

    // ---- timers

    static String sessionKey(String groupId, String memberId) {
        return "consumer-session/" + groupId + "/" + memberId;
    }

    static String revokeKey(String groupId, String memberId) {
        return "consumer-revoke/" + groupId + "/" + memberId;
    }

    /** A classic member's session is the one it asked for in JoinGroup. */
    void scheduleSession(String groupId, ConsumerMember m) {
        String memberId = m.memberId;
        ctx.schedule(
                sessionKey(groupId, memberId),
                m.usesClassicProtocol() ? m.classicSessionTimeoutMs : config.consumerSessionTimeoutMs(),
                () -> expire(groupId, memberId, "session timed out"));
    }

    void scheduleRevocationDeadline(ConsumerGroup g, ConsumerMember m) {
        String groupId = g.groupId;
        String memberId = m.memberId;
        ctx.schedule(revokeKey(groupId, memberId), Math.max(1, m.rebalanceTimeoutMs), () -> {
            ConsumerGroup cur = groups.get(groupId);
            ConsumerMember cm = cur == null ? null : cur.members.get(memberId);
            if (cm != null && !cm.revoking.isEmpty()) {
                expire(groupId, memberId, "did not revoke its partitions within its rebalance timeout");
            }
        });
    }

    private void expire(String groupId, String memberId, String why) {
        ConsumerGroup g = groups.get(groupId);
        ConsumerMember m = g == null ? null : g.members.get(memberId);
        if (m != null) {
            remove(g, m, why);
        }
    }

    void cancelTimers(String groupId, String memberId) {
        ctx.cancel(sessionKey(groupId, memberId));
        ctx.cancel(revokeKey(groupId, memberId));
        ctx.cancel(classicKey(groupId, memberId));
    }

    /** A classic member's join or sync deadline (Kafka's consumer-group join and sync timeouts). */
    static String classicKey(String groupId, String memberId) {
        return "consumer-classic/" + groupId + "/" + memberId;
    }

    /**
     * A classic member told to rejoin must do so, and one that joined must sync, within its
     * rebalance timeout, or it is removed (its partitions would otherwise stay held).
     */
    void scheduleClassicDeadline(String groupId, ConsumerMember m, String what, boolean replace) {
        String key = classicKey(groupId, m.memberId);
        if (replace || !ctx.isScheduled(key)) {
            String memberId = m.memberId;
            ctx.schedule(key, Math.max(1, m.rebalanceTimeoutMs), () -> expire(groupId, memberId, what));
        }
    }

    /** After a load: every member gets a fresh session (Kafka does the same on failover). */
    public void onLoaded() {
        for (ConsumerGroup g : groups.all()) {
            for (ConsumerMember m : g.members.values()) {
                scheduleSession(g.groupId, m);
                if (!m.revoking.isEmpty()) {
                    scheduleRevocationDeadline(g, m);
                }
            }
        }
    }

    // ---- helpers

    static TreeMap<UUID, TreeSet<Integer>> owned(ConsumerGroupHeartbeatRequestData req) {
        if (req.topicPartitions == null) {
            return null;
        }
        TreeMap<UUID, TreeSet<Integer>> out = Partitions.empty();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : req.topicPartitions) {
            tp.partitions.forEach(p -> Partitions.add(out, tp.topicId, p));
        }
        return out;
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment assignmentOf(Map<UUID, TreeSet<Integer>> ps) {
        ConsumerGroupHeartbeatResponseData.Assignment a = new ConsumerGroupHeartbeatResponseData.Assignment();
        ps.forEach((t, set) -> a.topicPartitions.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(t)
                .setPartitions(new ArrayList<>(set))));
        return a;
    }
}
