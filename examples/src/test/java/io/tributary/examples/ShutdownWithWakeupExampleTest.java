package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ShutdownWithWakeupExample: wakeup() from another thread ends a 10 s poll at once, close()
 * commits and leaves, and the remaining member owns everything long before the 30 s session
 * timeout could have expired the first one (C5, C6, C7, G7).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownWithWakeupExampleTest {
    private static final int SESSION_TIMEOUT_MS = 30_000;

    @Test
    void wakeupEndsTheLoopAndCloseHandsThePartitionsOverAtOnce() throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("wakeup", 4, 10);
        String topic = scenario.topic();
        String group = scenario.group();
        Properties cfg = Examples.consumerConfig(ExampleFixtures.bootstrap(), group);
        cfg.put("session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        cfg.put("heartbeat.interval.ms", "300");

        List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
        ShutdownWithWakeupExample example = new ShutdownWithWakeupExample(cfg);
        ExampleFixtures.Loop loop = new ExampleFixtures.Loop("wakeup-loop", () -> example.run(topic, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 40 || !loop.isAlive());
        assertThat(seen).hasSize(40);

        Properties bCfg = new Properties();
        bCfg.putAll(cfg);
        bCfg.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> seenB = new CopyOnWriteArrayList<>();
        try (TributaryConsumer<String, String> b = new TributaryConsumer<>(bCfg)) {
            b.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                b.poll(Duration.ofMillis(100)).forEach(seenB::add);
                return b.assignment().size() == 2;
            });

            // The shutdown hook's job, done from this (another) thread.
            long start = System.nanoTime();
            example.shutdown();
            loop.join(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                b.poll(Duration.ofMillis(100)).forEach(seenB::add);
                return b.assignment().size() == 4;
            });
            long handOverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(handOverMs)
                    .as("LeaveGroup, not the session timeout, moved the partitions")
                    .isLessThan(SESSION_TIMEOUT_MS / 2);

            // A's commits (before its revoke, and in close) mean B starts at the end: no record twice.
            for (int p = 0; p < 4; p++) {
                assertThat(b.position(new TopicPartition(topic, p))).isEqualTo(10);
            }
            assertThat(seenB).isEmpty();
        }
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 4))
                .isEqualTo(ExampleFixtures.offsets(topic, 4, 10));
    }
}
