package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * The meeting point of ParallelIsolationATest and ParallelIsolationBTest (issue 13): both hold
 * their brokers at the same moment, proving JUnit ran them concurrently, and each must see only
 * its own topic and records.
 */
final class ParallelIsolation {
    private static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

    private ParallelIsolation() {}

    static void check(TestBroker mine, String myTopic, String otherTopic) throws Exception {
        mine.createTopic(myTopic, 1);
        mine.produce(myTopic, "from-" + myTopic);
        // Fails (times out) if the classes did not run at the same time.
        BOTH_RUNNING.await(60, TimeUnit.SECONDS);
        List<TestRecord> records = mine.read(myTopic, 1, Duration.ofSeconds(10));
        assertThat(records).extracting(TestRecord::value).containsExactly("from-" + myTopic);
        assertThat(mine.embedded().broker().state().topics().topic(otherTopic)).isNull();
        BOTH_RUNNING.await(60, TimeUnit.SECONDS);
    }
}
