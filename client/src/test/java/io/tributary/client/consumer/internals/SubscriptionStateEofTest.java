package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The once-per-catch-up bookkeeping behind enable.partition.eof (C4). */
class SubscriptionStateEofTest {
    private final TopicPartition tp = new TopicPartition("t", 0);

    private SubscriptionState assignedAt(long offset) {
        SubscriptionState s = new SubscriptionState("earliest", false);
        s.assignFromUser(List.of(tp));
        s.seek(tp, offset, -1);
        return s;
    }

    @Test
    void anEndIsReportedOnceUntilThePositionMovesOn() {
        SubscriptionState s = assignedAt(5);
        int v = s.version(tp);
        assertThat(s.eofDue(tp, v, 5)).isTrue();
        assertThat(s.reportEof(tp, v, 5)).isTrue();
        assertThat(s.eofDue(tp, v, 5)).isFalse();
        assertThat(s.reportEof(tp, v, 5)).isFalse();

        s.advance(tp, v, 7); // poll returned two new records
        assertThat(s.eofDue(tp, v, 7)).isTrue();
        assertThat(s.reportEof(tp, v, 7)).isTrue();
    }

    @Test
    void notDueBehindTheEndOrAfterASeekSinceTheFetch() {
        SubscriptionState s = assignedAt(3);
        int v = s.version(tp);
        assertThat(s.eofDue(tp, v, 5)).as("records left to read").isFalse();
        s.seek(tp, 5, -1);
        assertThat(s.eofDue(tp, v, 5)).as("fetched before the seek: stale").isFalse();
        assertThat(s.eofDue(tp, s.version(tp), 5)).isTrue();
    }

    @Test
    void aSeekReArmsAnEndAlreadyReported() {
        SubscriptionState s = assignedAt(5);
        assertThat(s.reportEof(tp, s.version(tp), 5)).isTrue();
        s.seek(tp, 5, -1);
        assertThat(s.reportEof(tp, s.version(tp), 5)).isTrue();
    }

    @Test
    void unassignedPartitionsAreNeverDue() {
        SubscriptionState s = assignedAt(0);
        int v = s.version(tp);
        s.setAssignment(List.of());
        assertThat(s.eofDue(tp, v, 0)).isFalse();
        assertThat(s.reportEof(tp, v, 0)).isFalse();
    }
}
