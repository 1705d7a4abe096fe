package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A classic group of lightweight raw members, one socket each, driven from one thread: every member's JoinGroup
 * (v3) is sent before any answer is read, the leader computes a round-robin assignment of the topic's partitions,
 * and SyncGroup (v2) hands them out. After every generation it checks that each partition went to exactly one
 * member. Assignments are a count and partition numbers, which the broker passes through unread.
 */
final class RawGroup implements AutoCloseable {
    private static final short JOIN_V = 3;
    private static final short SYNC_V = 2;
    private static final short HEARTBEAT_V = 2;
    private static final short REBALANCE_IN_PROGRESS = 27;

    private final String host;
    private final int port;
    private final String groupId;
    private final int partitions;
    private final List<WireClient> clients = new ArrayList<>();
    private final List<String> memberIds = new ArrayList<>();
    private int generation = -1;

    RawGroup(String host, int port, String groupId, String topic, int partitions) {
        this.host = host;
        this.port = port;
        this.groupId = groupId + "-" + topic;
        this.partitions = partitions;
    }

    int size() {
        return clients.size();
    }

    /** Opens {@code members} connections and forms the group. */
    void join(int members) throws IOException {
        for (int i = 0; i < members; i++) {
            clients.add(new WireClient(host, port, "member-" + i));
            memberIds.add("");
        }
        joinAndSync();
    }

    private void joinAndSync() throws IOException {
        int[] corr = new int[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            JoinGroupRequestData req = new JoinGroupRequestData()
                    .setGroupId(groupId)
                    .setSessionTimeoutMs(60_000)
                    .setRebalanceTimeoutMs(120_000)
                    .setMemberId(memberIds.get(i))
                    .setProtocolType("consumer")
                    .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                            .setName("roundrobin")
                            .setMetadata(new byte[] {0, 1}))));
            corr[i] = clients.get(i).send(req, JOIN_V);
        }
        int leader = -1;
        JoinGroupResponseData leaderResponse = null;
        for (int i = 0; i < clients.size(); i++) {
            JoinGroupResponseData r = clients.get(i).receive(corr[i], new JoinGroupResponseData(), JOIN_V);
            assertThat(r.errorCode).as("JoinGroup error of member %s", i).isZero();
            if (i == 0) {
                generation = r.generationId;
            }
            assertThat(r.generationId).isEqualTo(generation);
            memberIds.set(i, r.memberId);
            if (r.memberId.equals(r.leader)) {
                leader = i;
                leaderResponse = r;
            }
        }
        assertThat(leader).as("one member is the leader").isNotNegative();
        assertThat(leaderResponse.members).hasSize(clients.size());
        List<SyncGroupRequestData.SyncGroupRequestAssignment> plan = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        leaderResponse.members.forEach(m -> ids.add(m.memberId));
        assertThat(new HashSet<>(ids)).containsExactlyInAnyOrderElementsOf(memberIds);
        for (int m = 0; m < ids.size(); m++) {
            List<Integer> mine = new ArrayList<>();
            for (int p = m; p < partitions; p += ids.size()) {
                mine.add(p);
            }
            ByteBuffer b = ByteBuffer.allocate(4 + 4 * mine.size()).putInt(mine.size());
            mine.forEach(b::putInt);
            plan.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(ids.get(m))
                    .setAssignment(b.array()));
        }
        int[] sync = new int[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            SyncGroupRequestData req = new SyncGroupRequestData()
                    .setGroupId(groupId)
                    .setGenerationId(generation)
                    .setMemberId(memberIds.get(i))
                    .setAssignments(i == leader ? plan : new ArrayList<>());
            sync[i] = clients.get(i).send(req, SYNC_V);
        }
        Set<Integer> owned = new HashSet<>();
        int total = 0;
        for (int i = 0; i < clients.size(); i++) {
            SyncGroupResponseData r = clients.get(i).receive(sync[i], new SyncGroupResponseData(), SYNC_V);
            assertThat(r.errorCode).as("SyncGroup error of member %s", i).isZero();
            ByteBuffer b = ByteBuffer.wrap(r.assignment);
            int n = b.getInt();
            for (int k = 0; k < n; k++) {
                owned.add(b.getInt());
                total++;
            }
        }
        assertThat(total).as("partitions handed out").isEqualTo(partitions);
        assertThat(owned).as("every partition owned exactly once").hasSize(partitions);
    }

    /** Every member heartbeats; each must get {@code expectedError}. */
    void heartbeatAll(int expectedError) throws IOException {
        int[] corr = new int[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            corr[i] = clients.get(i).send(heartbeat(i), HEARTBEAT_V);
        }
        for (int i = 0; i < clients.size(); i++) {
            HeartbeatResponseData r = clients.get(i).receive(corr[i], new HeartbeatResponseData(), HEARTBEAT_V);
            assertThat((int) r.errorCode).as("Heartbeat of member %s", i).isEqualTo(expectedError);
        }
    }

    private HeartbeatRequestData heartbeat(int i) {
        return new HeartbeatRequestData()
                .setGroupId(groupId)
                .setGenerationId(generation)
                .setMemberId(memberIds.get(i));
    }

    /** The last member leaves the group (LeaveGroup v1) and closes its connection. */
    void leaveOne() throws IOException {
        int last = clients.size() - 1;
        WireClient c = clients.remove(last);
        String id = memberIds.remove(last);
        LeaveGroupResponseData r = c.roundTrip(
                new LeaveGroupRequestData().setGroupId(groupId).setMemberId(id), new LeaveGroupResponseData(), (short)
                        1);
        assertThat(r.errorCode).isZero();
        c.close();
    }

    /** The members learn of the rebalance from their heartbeats, as consumers do, then join and sync again. */
    void rejoinAfterRebalance() throws IOException {
        int before = generation;
        heartbeatAll(REBALANCE_IN_PROGRESS);
        joinAndSync();
        assertThat(generation).isGreaterThan(before);
    }

    @Override
    public void close() throws IOException {
        for (WireClient c : clients) {
            c.close();
        }
    }
}
