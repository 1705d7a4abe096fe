package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BasicConsumeLoop against our broker: every record once, in order per partition, end-of-partition events; close commits (C3, C4, C6, O1). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BasicConsumeLoopTest {
    @Test
    void consumesEverythingAndCloseCommitsTheFinalOffsets() throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("basic", 3, 20);
        String topic = scenario.topic();
        String group = scenario.group();

        List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
        // Each event as "partition@offset, after N records of that partition".
        List<String> eofs = new CopyOnWriteArrayList<>();
        Properties cfg = Examples.consumerConfig(ExampleFixtures.bootstrap(), group);
        cfg.put("enable.partition.eof", "true");
        BasicConsumeLoop loop = new BasicConsumeLoop(cfg);
        ExampleFixtures.Loop thread = new ExampleFixtures.Loop(
                "basic-loop",
                () -> loop.run(List.of(topic), new BasicConsumeLoop.RecordProcessor() {
                    @Override
                    public void process(ConsumerRecord<String, String> record) {
                        seen.add(record);
                    }

                    @Override
                    public void endOfPartition(TopicPartition partition, long offset) {
                        long before = seen.stream()
                                .filter(r -> r.partition() == partition.partition())
                                .count();
                        eofs.add(partition.partition() + "@" + offset + " after " + before);
                    }
                }));
        await().atMost(Duration.ofSeconds(20)).until(() -> eofs.size() >= 3 || !thread.isAlive());
        loop.shutdown();
        thread.join(Duration.ofSeconds(10));

        assertThat(seen).hasSize(60);
        // C4: each partition reported its end once, at offset 20, after all of its records.
        assertThat(eofs).containsExactlyInAnyOrder("0@20 after 20", "1@20 after 20", "2@20 after 20");
        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<Long> offsets = new ArrayList<>();
            List<String> values = new ArrayList<>();
            seen.stream().filter(r -> r.partition() == partition).forEach(r -> {
                offsets.add(r.offset());
                values.add(r.value());
            });
            assertThat(offsets)
                    .as("partition %d in order, no gaps, no repeats", p)
                    .containsExactlyElementsOf(range(20));
            assertThat(values).first().isEqualTo("p" + p + "-0");
        }
        // "Close down consumer to commit final offsets": the next record to read is 20 everywhere.
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 3))
                .isEqualTo(ExampleFixtures.offsets(topic, 3, 20));
    }

    private static List<Long> range(int n) {
        List<Long> l = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }
}
