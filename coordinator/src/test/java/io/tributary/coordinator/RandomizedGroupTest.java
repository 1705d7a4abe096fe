package io.tributary.coordinator;

import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static io.tributary.coordinator.GroupCoordinatorTestContext.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupMember;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of client actions and clock jumps against one group, checking after every
 * step that the group's invariants hold, no operation threw, no answer is UNKNOWN_SERVER_ERROR,
 * a restart reloads a consistent group, and, once clients go quiet, every parked request is
 * answered and the group empties.
 */
class RandomizedGroupTest {
    private static final String G = "g";

    /** What one simulated client knows. */
    private static final class Client {
        final String instanceId;
        String memberId = "";
        int generation = -1;

        Client(String instanceId) {
            this.instanceId = instanceId;
        }
    }

    @Test
    void randomActionsKeepTheGroupConsistentAndEveryRequestGetsAnAnswer() {
        for (long seed = 1; seed <= 12; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random rnd = new Random(seed);
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withMaxGroupSize(4).withSnapshotMinRecords(15));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(new Client(i % 2 == 0 ? "static-" + i : null));
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        Map<CompletableFuture<JoinGroupResponseData>, Client> joins = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            Client c = clients.get(rnd.nextInt(clients.size()));
            int action = rnd.nextInt(10);
            switch (action) {
                case 0, 1, 2 -> {
                    var req = joinRequest(G, c.memberId, c.instanceId);
                    if (rnd.nextInt(4) == 0) {
                        req.setProtocols(protocols("roundrobin", "range"));
                    }
                    CompletableFuture<JoinGroupResponseData> f = t.join(req, 3 + rnd.nextInt(3));
                    joins.put(f, c);
                    all.add(f);
                }
                case 3 -> {
                    Map<String, byte[]> assignment = new HashMap<>();
                    ClassicGroup g = t.group(G);
                    if (g != null) {
                        byte[] bytes = {(byte) step};
                        g.allMembers().forEach(m -> assignment.put(m.memberId(), bytes));
                    }
                    CompletableFuture<SyncGroupResponseData> f =
                            t.sync(G, c.memberId, c.instanceId, c.generation, assignment);
                    all.add(f);
                }
                case 4, 5 -> checkAnswer(t.heartbeat(G, c.memberId, c.instanceId, c.generation));
                case 6 ->
                    all.add(t.commitAsync(7, G, c.memberId, c.instanceId, c.generation, "t", rnd.nextInt(3), step, ""));
                case 7 -> {
                    if (rnd.nextInt(3) == 0) {
                        t.leave(G, member(c.memberId, c.instanceId));
                    } else {
                        t.sleep(rnd.nextInt(4_000));
                    }
                }
                case 8 -> t.sleep(rnd.nextInt(12_000));
                default -> {
                    if (rnd.nextInt(8) == 0) {
                        t.restart();
                        assertConsistent(t.group(G), seed, step);
                    }
                }
            }
            // Clients learn their ids and generations from answered joins.
            joins.entrySet().removeIf(e -> {
                if (!e.getKey().isDone()) {
                    return false;
                }
                JoinGroupResponseData r = e.getKey().join();
                checkAnswer(Errors.forCode(r.errorCode));
                if (r.errorCode == 0 || r.errorCode == Errors.MEMBER_ID_REQUIRED.code()) {
                    e.getValue().memberId = r.memberId;
                    e.getValue().generation = r.generationId;
                } else if (r.errorCode == Errors.UNKNOWN_MEMBER_ID.code()
                        || r.errorCode == Errors.FENCED_INSTANCE_ID.code()) {
                    e.getValue().memberId = "";
                }
                return true;
            });
            assertConsistent(t.group(G), seed, step);
            assertThat(t.coordinator.failedOperations())
                    .as("seed %d step %d", seed, step)
                    .isZero();
        }
        // Clients go quiet: sessions, rebalance and join timeouts answer everything and empty the group.
        t.sleep(20 * 60_000);
        for (CompletableFuture<?> f : all) {
            assertThat(f).as("seed %d: every request is answered", seed).isDone();
        }
        ClassicGroup g = t.group(G);
        if (g != null) {
            assertThat(g.state()).as("seed %d", seed).isEqualTo(ClassicGroupState.EMPTY);
        }
        assertThat(t.coordinator.failedOperations()).isZero();
    }

    private static void checkAnswer(Errors e) {
        assertThat(e).isNotEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    private static void assertConsistent(ClassicGroup g, long seed, int step) {
        if (g == null) {
            return;
        }
        String where = "seed " + seed + " step " + step + " " + g;
        if (g.numMembers() == 0) {
            assertThat(g.leaderId()).as(where).isNull();
            assertThat(g.state()).as(where).isIn(ClassicGroupState.EMPTY, ClassicGroupState.PREPARING_REBALANCE);
        } else {
            assertThat(g.hasMember(g.leaderId())).as(where).isTrue();
            assertThat(g.state()).as(where).isNotEqualTo(ClassicGroupState.EMPTY);
        }
        int awaiting = 0;
        for (ClassicGroupMember m : g.allMembers()) {
            if (m.isAwaitingJoin()) {
                awaiting++;
            }
            if (m.isStatic()) {
                assertThat(g.staticMemberId(m.groupInstanceId())).as(where).isEqualTo(m.memberId());
            }
            if (g.isInState(ClassicGroupState.STABLE)) {
                assertThat(m.isAwaitingJoin()).as(where).isFalse();
            }
        }
        assertThat(g.numAwaitingJoinResponse()).as(where).isEqualTo(awaiting);
        assertThat(g.numStaticMembers()).as(where).isEqualTo((int)
                g.allMembers().stream().filter(ClassicGroupMember::isStatic).count());
        if (g.isInState(ClassicGroupState.STABLE) || g.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            assertThat(g.protocolName()).as(where).isNotNull();
        }
    }
}
