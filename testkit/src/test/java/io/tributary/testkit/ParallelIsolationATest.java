package io.tributary.testkit;

import org.junit.jupiter.api.Test;

/** Runs concurrently with ParallelIsolationBTest (junit-platform.properties): isolated brokers. */
@TributaryTest
class ParallelIsolationATest {
    @Test
    void seesOnlyItsOwnBroker(TestBroker broker) throws Exception {
        ParallelIsolation.check(broker, "topic-A", "topic-B");
    }
}
