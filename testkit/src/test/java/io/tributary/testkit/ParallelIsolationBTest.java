package io.tributary.testkit;

import org.junit.jupiter.api.Test;

/** Runs concurrently with ParallelIsolationATest (junit-platform.properties): isolated brokers. */
@TributaryTest
class ParallelIsolationBTest {
    @Test
    void seesOnlyItsOwnBroker(TestBroker broker) throws Exception {
        ParallelIsolation.check(broker, "topic-B", "topic-A");
    }
}
