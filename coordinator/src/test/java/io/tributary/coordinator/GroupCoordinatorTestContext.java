package io.tributary.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator on a {@link ManualEventLoop} (fake clock: {@link #sleep(long)} fires due timers)
 * and an in-memory log, with helpers that build requests the way Kafka clients send them.
 * Everything runs on the test thread, so futures are complete as soon as the coordinator has
 * answered.
 */
final class GroupCoordinatorTestContext {
    static final String CLIENT = "client";
    static final String HOST = "/127.0.0.1";
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;

    GroupCoordinatorConfig config;
    ManualEventLoop loop;
    final InMemoryCoordinatorLog log;
    GroupCoordinator coordinator;

    GroupCoordinatorTestContext() {
        this(GroupCoordinatorConfig.defaults());
    }

    GroupCoordinatorTestContext(GroupCoordinatorConfig config) {
        this(config, new InMemoryCoordinatorLog(), new ManualEventLoop());
    }

    private GroupCoordinatorTestContext(
            GroupCoordinatorConfig config, InMemoryCoordinatorLog log, ManualEventLoop loop) {
        this.config = config;
        this.log = log;
        this.loop = loop;
        this.coordinator = new GroupCoordinator(config, log, loop);
        assertThat(coordinator.start()).isCompleted();
    }

    /** Simulates a broker restart on the same log: all in-memory state and timers are gone. */
    void restart() {
        restart(config);
    }

    void restart(GroupCoordinatorConfig newConfig) {
        coordinator.close();
        long now = loop.nowMs();
        loop.close();
        loop = new ManualEventLoop(now);
        config = newConfig;
        coordinator = new GroupCoordinator(newConfig, log, loop);
        assertThat(coordinator.start()).isCompleted();
    }

    void sleep(long ms) {
        loop.sleep(ms);
    }

    ClassicGroup group(String groupId) {
        return coordinator.shard().groups().get(groupId);
    }

    static RequestContext ctx(int version) {
        return RequestContext.of(version, CLIENT, HOST);
    }

    // ---- subscription bytes (ConsumerProtocolSubscription v1: topics, user data, owned partitions)

    static byte[] subscription(List<String> topics, Map<String, List<Integer>> owned) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        b.putShort((short) 1);
        b.putInt(topics.size());
        for (String t : topics) {
            putString(b, t);
        }
        b.putInt(-1);
        b.putInt(owned.size());
        owned.forEach((t, ps) -> {
            putString(b, t);
            b.putInt(ps.size());
            ps.forEach(b::putInt);
        });
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    static byte[] subscription(String... topics) {
        return subscription(List.of(topics), Map.of());
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length);
        b.put(bytes);
    }

    static List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols(String... namesThenNoMetadata) {
        List<JoinGroupRequestData.JoinGroupRequestProtocol> out = new ArrayList<>();
        for (String n : namesThenNoMetadata) {
            out.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                    .setName(n)
                    .setMetadata(subscription("t")));
        }
        return out;
    }

    // ---- requests

    static JoinGroupRequestData joinRequest(String groupId, String memberId, String instanceId) {
        return new JoinGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType("consumer")
                .setProtocols(protocols("range"));
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData req, int version) {
        return coordinator.joinGroup(ctx(version), req);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData req) {
        return join(req, 5);
    }

    /** The two-step join of a dynamic member (v4+): returns the pending second JoinGroup. */
    CompletableFuture<JoinGroupResponseData> joinDynamic(String groupId, JoinGroupRequestData template) {
        JoinGroupResponseData first =
                join(template.setGroupId(groupId).setMemberId("")).join();
        assertThat(first.errorCode).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        assertThat(first.memberId).startsWith(CLIENT + "-");
        return join(template.setMemberId(first.memberId));
    }

    CompletableFuture<JoinGroupResponseData> joinDynamic(String groupId) {
        return joinDynamic(groupId, joinRequest(groupId, "", null));
    }

    CompletableFuture<SyncGroupResponseData> sync(
            String groupId, String memberId, int generation, Map<String, byte[]> assignments) {
        return sync(groupId, memberId, null, generation, assignments);
    }

    CompletableFuture<SyncGroupResponseData> sync(
            String groupId, String memberId, String instanceId, int generation, Map<String, byte[]> assignments) {
        SyncGroupRequestData req = new SyncGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setGenerationId(generation);
        assignments.forEach((m, a) -> req.assignments.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(m)
                .setAssignment(a)));
        return coordinator.syncGroup(ctx(3), req);
    }

    Errors heartbeat(String groupId, String memberId, int generation) {
        return heartbeat(groupId, memberId, null, generation);
    }

    Errors heartbeat(String groupId, String memberId, String instanceId, int generation) {
        return Errors.forCode(coordinator
                .heartbeat(
                        ctx(3),
                        new HeartbeatRequestData()
                                .setGroupId(groupId)
                                .setMemberId(memberId)
                                .setGroupInstanceId(instanceId)
                                .setGenerationId(generation))
                .join()
                .errorCode);
    }

    LeaveGroupResponseData leave(String groupId, LeaveGroupRequestData.MemberIdentity... members) {
        return coordinator
                .leaveGroup(
                        ctx(3),
                        new LeaveGroupRequestData().setGroupId(groupId).setMembers(new ArrayList<>(List.of(members))))
                .join();
    }

    static LeaveGroupRequestData.MemberIdentity member(String memberId, String instanceId) {
        return new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId).setGroupInstanceId(instanceId);
    }

    CompletableFuture<OffsetCommitResponseData> commitAsync(
            String groupId, String memberId, int generation, String topic, int partition, long offset) {
        return commitAsync(7, groupId, memberId, null, generation, topic, partition, offset, "meta");
    }

    CompletableFuture<OffsetCommitResponseData> commitAsync(
            int version,
            String groupId,
            String memberId,
            String instanceId,
            int generation,
            String topic,
            int partition,
            long offset,
            String metadata) {
        OffsetCommitRequestData req = new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setGenerationIdOrMemberEpoch(generation);
        req.topics.add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setName(topic)
                .setPartitions(new ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition)
                        .setCommittedOffset(offset)
                        .setCommittedLeaderEpoch(3)
                        .setCommittedMetadata(metadata)))));
        return coordinator.offsetCommit(ctx(version), req);
    }

    /** Commits one offset and returns that partition's error. */
    Errors commit(String groupId, String memberId, int generation, String topic, int partition, long offset) {
        OffsetCommitResponseData r = commitAsync(groupId, memberId, generation, topic, partition, offset)
                .join();
        return Errors.forCode(r.topics.get(0).partitions.get(0).errorCode);
    }

    /** The committed offset of one partition via OffsetFetch v7 (-1 if none). */
    long committed(String groupId, String topic, int partition) {
        OffsetFetchRequestData req =
                new OffsetFetchRequestData().setGroupId(groupId).setRequireStable(true);
        req.topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                .setName(topic)
                .setPartitionIndexes(new ArrayList<>(List.of(partition))));
        OffsetFetchResponseData r = coordinator.offsetFetch(ctx(7), req).join();
        assertThat(r.errorCode).isEqualTo(Errors.NONE.code());
        return r.topics.get(0).partitions.get(0).committedOffset;
    }

    static JoinGroupResponseData done(CompletableFuture<JoinGroupResponseData> f) {
        assertThat(f).as("JoinGroup response").isCompleted();
        return f.join();
    }
}
