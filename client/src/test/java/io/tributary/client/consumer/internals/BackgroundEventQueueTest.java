package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * O3/G8: commit calls run commit callbacks but must keep rebalance callbacks for the next poll
 * without losing one the network thread adds meanwhile (a lost one stalled a group's rebalance
 * forever in a churn run: the member kept heartbeating and never rejoined).
 */
class BackgroundEventQueueTest {

    @Test
    void commitCallbacksRunInOrderAndEverythingElseWaitsForPollInOrder() {
        BackgroundEventQueue q = new BackgroundEventQueue();
        BackgroundEvent.RebalanceCallback revoke = callback(0);
        BackgroundEvent.CommitCompleted c1 = commit(1);
        BackgroundEvent.Error error = new BackgroundEvent.Error(new IllegalStateException("x"));
        BackgroundEvent.CommitCompleted c2 = commit(2);
        q.add(revoke);
        q.add(c1);
        q.add(error);
        q.add(c2);
        List<BackgroundEvent> ran = new ArrayList<>();
        q.runCommitCallbacks(ran::add);
        assertThat(ran).containsExactly(c1, c2);

        BackgroundEvent.RebalanceCallback assign = callback(3);
        q.add(assign);
        assertThat(q.poll()).isSameAs(revoke);
        assertThat(q.poll()).isSameAs(error);
        assertThat(q.poll()).isSameAs(assign);
        assertThat(q.poll()).isNull();
    }

    @Test
    void noEventIsLostWhileTheNetworkThreadAddsDuringCommitCallbacks() throws Exception {
        BackgroundEventQueue q = new BackgroundEventQueue();
        int events = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread network = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < events; i++) {
                            q.add(i % 2 == 0 ? callback(i) : commit(i));
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "fake-network-thread");
        network.start();
        List<Integer> seen = new ArrayList<>();
        List<Integer> callbacks = new ArrayList<>();
        // The application thread commits over and over (running commit callbacks only) while
        // events keep arriving, then polls everything that is left.
        int round = 0;
        while (network.isAlive()) {
            q.runCommitCallbacks(c -> seen.add(idOf(c)));
            // Poll now and then only, so rebalance events pile up between commits as they do
            // while an application commits in a loop.
            if (++round % 64 == 0) {
                BackgroundEvent e = q.poll();
                if (e instanceof BackgroundEvent.RebalanceCallback rc) {
                    callbacks.add(idOf(rc));
                } else if (e instanceof BackgroundEvent.CommitCompleted c) {
                    seen.add(idOf(c));
                }
            }
        }
        network.join();
        BackgroundEvent e;
        q.runCommitCallbacks(c -> seen.add(idOf(c)));
        while ((e = q.poll()) != null) {
            if (e instanceof BackgroundEvent.RebalanceCallback rc) {
                callbacks.add(idOf(rc));
            } else if (e instanceof BackgroundEvent.CommitCompleted c) {
                seen.add(idOf(c));
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(callbacks)
                .as("rebalance callbacks, each once and in order")
                .hasSize(events / 2)
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(seen)
                .as("commit completions, each once and in order")
                .hasSize(events / 2)
                .isSorted()
                .doesNotHaveDuplicates();
    }

    private static BackgroundEvent.RebalanceCallback callback(int id) {
        return new BackgroundEvent.RebalanceCallback(
                BackgroundEvent.RebalanceCallback.Kind.REVOKED, Set.of(new TopicPartition("t", id)), false);
    }

    private static BackgroundEvent.CommitCompleted commit(int id) {
        return new BackgroundEvent.CommitCompleted(
                null, Map.of(new TopicPartition("t", id), new OffsetAndMetadata(id)), null);
    }

    private static int idOf(BackgroundEvent.RebalanceCallback rc) {
        return rc.partitions().iterator().next().partition();
    }

    private static int idOf(BackgroundEvent.CommitCompleted c) {
        return c.offsets().keySet().iterator().next().partition();
    }
}
