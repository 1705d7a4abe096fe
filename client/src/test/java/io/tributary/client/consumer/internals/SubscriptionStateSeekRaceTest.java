package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * assign, then seek at once, while the network thread has already chosen to reset the partition: the reset's answer
 * must not move the position the application chose (CliGroupsTest's lag_seconds read "-" in CI when it did).
 */
class SubscriptionStateSeekRaceTest {
    private final TopicPartition tp = new TopicPartition("t", 0);

    @Test
    void aResetChosenBeforeASeekLosesToTheSeek() {
        SubscriptionState s = new SubscriptionState("latest", false);
        s.assignFromUser(List.of(tp));
        // Network thread: the snapshot it starts a ListOffsets(latest) from.
        SubscriptionState.NeedingPosition needing =
                s.partitionsNeedingPosition().get(tp);
        assertThat(needing.pending()).isEqualTo(SubscriptionState.Pending.RESET_LATEST);
        // Application thread: seek before the answer arrives.
        s.seek(tp, 2, -1);
        // The answer, applied against the snapshot's version, is dropped.
        assertThat(s.seekIfVersion(tp, needing.version(), 6)).isFalse();
        assertThat(s.position(tp)).isEqualTo(2L);
        assertThat(s.partitionsNeedingPosition()).isEmpty();
    }
}
