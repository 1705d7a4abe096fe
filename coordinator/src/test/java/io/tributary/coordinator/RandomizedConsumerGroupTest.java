package io.tributary.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: random joins, leaves, heartbeats (sometimes without owned partitions), partition
 * growth and restarts of the coordinator, with clients that adopt whatever assignment they are
 * sent. After every step no partition is believed owned by two clients, and once everyone has
 * heartbeated a few times in a quiet period the group is Stable with every partition owned.
 */
class RandomizedConsumerGroupTest {
    private static final String GROUP = "g";
    private static final UUID TOPIC = new UUID(7, 7);

    /** A client's view: its id, epoch and the partitions it believes it owns. */
    private static final class Client {
        final String id;
        int epoch;
        Set<Integer> owned = new HashSet<>();

        Client(String id) {
            this.id = id;
        }
    }

    @Test
    void noPartitionIsEverOwnedTwiceAndTheGroupSettles() {
        for (long seed = 1; seed <= 30; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random random = new Random(seed);
        int[] partitions = {4 + random.nextInt(8)};
        TopicMetadata topics = new TopicMetadata() {
            @Override
            public Topic byName(String name) {
                return name.equals("t") ? new Topic("t", TOPIC, partitions[0]) : null;
            }

            @Override
            public Collection<String> names() {
                return List.of("t");
            }
        };
        InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
        ManualEventLoop[] loop = {new ManualEventLoop()};
        GroupCoordinator[] c = {
            new GroupCoordinator(GroupCoordinatorConfig.defaults().withSnapshotMinRecords(10), log, loop[0])
        };
        c[0].setTopicMetadata(topics);
        c[0].start().join();
        List<Client> clients = new ArrayList<>();
        int next = 0;
        for (int step = 0; step < 300; step++) {
            int op = random.nextInt(20);
            if (op == 0 || clients.isEmpty()) {
                Client n = new Client("c" + next++);
                ConsumerGroupHeartbeatResponseData r = send(c[0], n, true, 0);
                if (r.errorCode == 0) {
                    clients.add(n);
                }
            } else if (op == 1 && clients.size() > 1) {
                Client leaving = clients.remove(random.nextInt(clients.size()));
                assertThat(send(c[0], leaving, false, -1).errorCode).isZero();
            } else if (op == 2 && partitions[0] < 20) {
                partitions[0]++;
            } else if (op == 3) {
                c[0].close();
                long now = loop[0].nowMs();
                loop[0].close();
                loop[0] = new ManualEventLoop(now);
                c[0] = new GroupCoordinator(GroupCoordinatorConfig.defaults().withSnapshotMinRecords(10), log, loop[0]);
                c[0].setTopicMetadata(topics);
                c[0].start().join();
            } else {
                Client cl = clients.get(random.nextInt(clients.size()));
                ConsumerGroupHeartbeatResponseData r = send(c[0], cl, random.nextInt(4) != 0, cl.epoch);
                assertThat(Errors.forCode(r.errorCode))
                        .as("seed %d step %d", seed, step)
                        .isEqualTo(Errors.NONE);
            }
            loop[0].sleep(random.nextInt(200));
            assertExclusive(clients, seed, step);
        }
        for (int round = 0; round < 6; round++) {
            for (Client cl : clients) {
                send(c[0], cl, true, cl.epoch);
                assertExclusive(clients, seed, -1);
            }
        }
        Set<Integer> all = new HashSet<>();
        clients.forEach(cl -> all.addAll(cl.owned));
        assertThat(all).as("seed %d: every partition owned", seed).hasSize(partitions[0]);
        assertThat(c[0].shard().consumerGroups().store().get(GROUP).state()).isEqualTo("Stable");
        c[0].close();
        loop[0].close();
    }

    private static ConsumerGroupHeartbeatResponseData send(
            GroupCoordinator c, Client cl, boolean reportOwned, int epoch) {
        ConsumerGroupHeartbeatRequestData req = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP)
                .setMemberId(cl.id)
                .setMemberEpoch(epoch);
        if (epoch == 0) {
            req.setRebalanceTimeoutMs(60_000)
                    .setSubscribedTopicNames(List.of("t"))
                    .setTopicPartitions(new ArrayList<>());
        } else if (reportOwned) {
            req.setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(TOPIC)
                    .setPartitions(new ArrayList<>(cl.owned)))));
        }
        ConsumerGroupHeartbeatResponseData r =
                c.consumerGroupHeartbeat(RequestContext.of(1, "c", "/h"), req).join();
        if (r.errorCode == 0 && epoch >= 0) {
            cl.epoch = r.memberEpoch;
            if (r.assignment != null) {
                Set<Integer> owned = new HashSet<>();
                r.assignment.topicPartitions.forEach(tp -> owned.addAll(tp.partitions));
                cl.owned = owned;
            }
        }
        return r;
    }

    private static void assertExclusive(List<Client> clients, long seed, int step) {
        Map<Integer, String> owner = new HashMap<>();
        for (Client cl : clients) {
            for (int p : cl.owned) {
                String before = owner.put(p, cl.id);
                assertThat(before)
                        .as("seed %d step %d: partition %d owned by %s and %s", seed, step, p, before, cl.id)
                        .isNull();
            }
        }
    }
}
