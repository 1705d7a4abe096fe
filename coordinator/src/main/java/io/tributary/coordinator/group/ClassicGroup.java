package io.tributary.coordinator.group;

import io.tributary.coordinator.record.Protocol;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One classic group: its state, generation, members (in join order), static instance ids, and the
 * members still expected to rejoin or sync. It checks every state transition. It does not send
 * anything: whoever takes a waiting future out of a member completes it. Owned by the coordinator
 * thread.
 */
public final class ClassicGroup {
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final String groupId;
    private ClassicGroupState state;
    private ClassicGroupState previousState;
    private long currentStateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    // Join order matters: the next leader is the oldest remaining member.
    private final LinkedHashMap<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingJoinMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<String, Integer> supportedProtocols = new HashMap<>();
    private int numMembersAwaitingJoin;
    // Set when a member joins during the initial delay, which then extends the delay.
    boolean newMemberAdded;
    // Null means unknown (not a consumer group, or metadata that could not be parsed).
    private Set<String> subscribedTopics;

    public ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.state = ClassicGroupState.EMPTY;
        this.currentStateTimestampMs = nowMs;
    }

    /** A group rebuilt from its persisted record: Empty without members, else Stable. */
    static ClassicGroup loaded(
            String groupId,
            int generationId,
            String protocolType,
            String protocolName,
            String leaderId,
            long currentStateTimestampMs,
            List<ClassicGroupMember> loadedMembers) {
        ClassicGroup g = new ClassicGroup(groupId, currentStateTimestampMs);
        g.generationId = generationId;
        g.protocolName = protocolName;
        for (ClassicGroupMember m : loadedMembers) {
            g.add(m);
        }
        g.protocolType = protocolType;
        g.leaderId = leaderId != null && g.members.containsKey(leaderId) ? leaderId : g.firstMemberOrNull();
        g.state = loadedMembers.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
        g.subscribedTopics = g.computeSubscribedTopics();
        return g;
    }

    public String groupId() {
        return groupId;
    }

    public ClassicGroupState state() {
        return state;
    }

    public ClassicGroupState previousState() {
        return previousState;
    }

    public boolean isInState(ClassicGroupState s) {
        return state == s;
    }

    public long currentStateTimestampMs() {
        return currentStateTimestampMs;
    }

    public int generationId() {
        return generationId;
    }

    public String protocolType() {
        return protocolType;
    }

    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    public boolean isLeader(String memberId) {
        return memberId != null && memberId.equals(leaderId);
    }

    public Set<String> subscribedTopics() {
        return subscribedTopics;
    }

    void transitionTo(ClassicGroupState target, long nowMs) {
        if (!target.canTransitionFrom(state)) {
            throw new IllegalStateException("group " + groupId + " cannot go from " + state + " to " + target);
        }
        previousState = state;
        state = target;
        currentStateTimestampMs = nowMs;
    }

    boolean canRebalance() {
        return state == ClassicGroupState.STABLE
                || state == ClassicGroupState.COMPLETING_REBALANCE
                || state == ClassicGroupState.EMPTY;
    }

    // ---- members

    public int numMembers() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    public Collection<ClassicGroupMember> allMembers() {
        return members.values();
    }

    public String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    public boolean hasStaticMember(String instanceId) {
        return staticMembers.containsKey(instanceId);
    }

    public int numStaticMembers() {
        return staticMembers.size();
    }

    void add(ClassicGroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        incrementSupportedProtocols(member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (member.isAwaitingJoin()) {
            numMembersAwaitingJoin++;
        }
        pendingJoinMembers.remove(member.memberId());
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /** Removes a member (or a pending member); a new leader is the oldest remaining member. */
    void remove(String memberId) {
        ClassicGroupMember removed = members.remove(memberId);
        if (removed != null) {
            decrementSupportedProtocols(removed);
            if (removed.isAwaitingJoin()) {
                numMembersAwaitingJoin--;
            }
            if (removed.isStatic()) {
                staticMembers.remove(removed.groupInstanceId(), memberId);
            }
        }
        if (isLeader(memberId)) {
            leaderId = firstMemberOrNull();
        }
        pendingJoinMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    private String firstMemberOrNull() {
        return members.isEmpty() ? null : members.keySet().iterator().next();
    }

    /**
     * Gives a static member's slot to a new member id, keeping its assignment and returning the
     * new member. The caller first takes the old id's waiting responses to fence them.
     */
    ClassicGroupMember replaceStaticMember(String instanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember old = members.remove(oldMemberId);
        if (old == null) {
            throw new IllegalArgumentException("no member " + oldMemberId + " in group " + groupId);
        }
        if (old.isAwaitingJoin()) {
            numMembersAwaitingJoin--;
        }
        ClassicGroupMember replacement = new ClassicGroupMember(
                newMemberId,
                instanceId,
                old.clientId(),
                old.clientHost(),
                old.rebalanceTimeoutMs(),
                old.sessionTimeoutMs(),
                old.protocolType(),
                old.protocols(),
                old.assignment());
        members.put(newMemberId, replacement);
        if (isLeader(oldMemberId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(instanceId, newMemberId);
        pendingSyncMembers.remove(oldMemberId);
        return replacement;
    }

    void updateMember(
            ClassicGroupMember member,
            List<Protocol> protocols,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            CompletableFuture<JoinGroupResponseData> joinFuture) {
        decrementSupportedProtocols(member);
        member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
        incrementSupportedProtocols(member);
        if (joinFuture != null) {
            if (!member.isAwaitingJoin()) {
                numMembersAwaitingJoin++;
            }
            member.setAwaitingJoin(joinFuture);
        }
    }

    /** Sets the member's waiting JoinGroup response, returning any older one it replaces. */
    CompletableFuture<JoinGroupResponseData> setAwaitingJoin(
            ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> f) {
        CompletableFuture<JoinGroupResponseData> old = member.awaitingJoin();
        if (old == null) {
            numMembersAwaitingJoin++;
        }
        member.setAwaitingJoin(f);
        return old;
    }

    /** Takes the member's waiting JoinGroup response out (null if none). */
    CompletableFuture<JoinGroupResponseData> takeJoinFuture(ClassicGroupMember member) {
        CompletableFuture<JoinGroupResponseData> f = member.awaitingJoin();
        if (f != null) {
            member.setAwaitingJoin(null);
            numMembersAwaitingJoin--;
        }
        return f;
    }

    CompletableFuture<SyncGroupResponseData> takeSyncFuture(ClassicGroupMember member) {
        CompletableFuture<SyncGroupResponseData> f = member.awaitingSync();
        member.setAwaitingSync(null);
        return f;
    }

    public int numAwaitingJoinResponse() {
        return numMembersAwaitingJoin;
    }

    public boolean hasAllMembersJoined() {
        return members.size() == numMembersAwaitingJoin && pendingJoinMembers.isEmpty();
    }

    List<ClassicGroupMember> notYetRejoinedMembers() {
        List<ClassicGroupMember> out = new ArrayList<>();
        for (ClassicGroupMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                out.add(m);
            }
        }
        return out;
    }

    /** If the leader has not rejoined, hands leadership to a member that has; false if none has. */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        ClassicGroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    // ---- pending members (given an id by MEMBER_ID_REQUIRED, not yet rejoined)

    void addPendingMember(String memberId) {
        pendingJoinMembers.add(memberId);
    }

    public boolean isPendingMember(String memberId) {
        return pendingJoinMembers.contains(memberId);
    }

    public int numPendingJoinMembers() {
        return pendingJoinMembers.size();
    }

    void addPendingSyncMember(String memberId) {
        pendingSyncMembers.add(memberId);
    }

    void removePendingSyncMember(String memberId) {
        pendingSyncMembers.remove(memberId);
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    boolean hasReceivedSyncFromAllMembers() {
        return pendingSyncMembers.isEmpty();
    }

    // ---- protocols

    private void incrementSupportedProtocols(ClassicGroupMember m) {
        for (Protocol p : m.protocols()) {
            supportedProtocols.merge(p.name(), 1, Integer::sum);
        }
    }

    private void decrementSupportedProtocols(ClassicGroupMember m) {
        for (Protocol p : m.protocols()) {
            supportedProtocols.computeIfPresent(p.name(), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    /** Whether a joining member's protocols fit: any for an empty group, else one all members support. */
    boolean supportsProtocols(String memberProtocolType, List<Protocol> memberProtocols) {
        if (state == ClassicGroupState.EMPTY) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (protocolType == null || !protocolType.equals(memberProtocolType)) {
            return false;
        }
        for (Protocol p : memberProtocols) {
            if (supportedProtocols.getOrDefault(p.name(), 0) == members.size()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol for the next generation: among those every member supports, each member votes
     * for its most preferred; most votes wins, ties go to the one voted for first (join order).
     */
    String selectProtocol() {
        if (members.isEmpty()) {
            throw new IllegalStateException("cannot select a protocol for empty group " + groupId);
        }
        Set<String> candidates = new HashSet<>();
        supportedProtocols.forEach((name, count) -> {
            if (count == members.size()) {
                candidates.add(name);
            }
        });
        LinkedHashMap<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicGroupMember m : members.values()) {
            votes.merge(m.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    /** The largest rebalance timeout among members: how long a rebalance waits for rejoins. */
    public int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicGroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs());
        }
        return max;
    }

    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            subscribedTopics = computeSubscribedTopics();
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            subscribedTopics = computeSubscribedTopics();
            transitionTo(ClassicGroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** The union of the members' subscribed topics for consumer groups, or null when unknown. */
    Set<String> computeSubscribedTopics() {
        if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return null;
        }
        if (members.isEmpty()) {
            return Set.of();
        }
        if (protocolName == null) {
            return null;
        }
        Set<String> topics = new HashSet<>();
        for (ClassicGroupMember m : members.values()) {
            List<String> t = ConsumerSubscriptions.topics(m.metadata(protocolName));
            if (t == null) {
                return null;
            }
            topics.addAll(t);
        }
        return topics;
    }

    /** Offsets of a topic the group consumes are never expired while the group is alive. */
    public boolean isSubscribedToTopic(String topic) {
        return subscribedTopics != null && subscribedTopics.contains(topic);
    }

    /** Validates a member id (and instance id if given) for join/sync/heartbeat/leave/commit. */
    public Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String existing = staticMembers.get(groupInstanceId);
            if (existing == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!existing.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /**
     * The one check of a member that claims a generation (SyncGroup, Heartbeat, OffsetCommit): the
     * group is alive, the member (and its instance id, if given) is known, and the generation is
     * the current one, in that order.
     */
    public Errors validateMemberAndGeneration(String memberId, String groupInstanceId, int generationId) {
        if (state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors error = validateMember(memberId, groupInstanceId);
        if (error != Errors.NONE) {
            return error;
        }
        return generationId == this.generationId ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    /** A member's JoinGroup view of all members (only the leader gets it). */
    List<JoinGroupResponseData.JoinGroupResponseMember> currentMembersForLeader() {
        List<JoinGroupResponseData.JoinGroupResponseMember> out = new ArrayList<>(members.size());
        for (ClassicGroupMember m : members.values()) {
            out.add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadata(protocolName)));
        }
        return out;
    }

    void markDead(long nowMs) {
        transitionTo(ClassicGroupState.DEAD, nowMs);
    }

    @Override
    public String toString() {
        return "ClassicGroup(" + groupId + ", " + state + ", generation " + generationId + ", " + members.size()
                + " members)";
    }
}
