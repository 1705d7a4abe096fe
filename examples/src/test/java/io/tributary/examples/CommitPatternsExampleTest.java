package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CommitPatternsExample stopped in the middle of the topic: async every 50, final sync = last processed + 1 (O3-O6). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommitPatternsExampleTest {
    @Test
    void committedOffsetsAreTheLastProcessedPlusOne() throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("commits", 2, 100);
        String topic = scenario.topic();
        String group = scenario.group();
        Properties cfg = Examples.consumerConfig(ExampleFixtures.bootstrap(), group);
        // Small batches, so stopping at 120 messages leaves both partitions part-way through.
        cfg.put("max.poll.records", "7");

        CommitPatternsExample example = new CommitPatternsExample(cfg);
        List<ConsumerRecord<String, String>> processed = new CopyOnWriteArrayList<>();
        AtomicReference<Map<TopicPartition, OffsetAndMetadata>> result = new AtomicReference<>();
        ExampleFixtures.Loop loop = new ExampleFixtures.Loop(
                "commit-patterns",
                () -> result.set(example.run(topic, r -> {
                    processed.add(r);
                    if (processed.size() == 120) {
                        // A Ctrl-C in the middle of a batch: the batch finishes, the next poll throws.
                        example.shutdown();
                    }
                })));
        loop.join(Duration.ofSeconds(30));

        Map<TopicPartition, Long> lastPlusOne = new HashMap<>();
        processed.forEach(
                r -> lastPlusOne.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        assertThat(processed.size()).isBetween(120, 126).isLessThan(200);
        assertThat(lastPlusOne.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(processed.size());
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 2))
                .isEqualTo(lastPlusOne);
        assertThat(result.get())
                .hasSize(2)
                .allSatisfy((tp, om) -> assertThat(om.offset()).isEqualTo(lastPlusOne.get(tp)));
        // Two async commits (at 50 and 100 messages), each confirmed through its callback.
        assertThat(example.asyncCommitsSucceeded()).isEqualTo(2);
        assertThat(example.asyncCommitsFailed()).isZero();

        // A restart of the same group continues right after the last processed record.
        List<ConsumerRecord<String, String>> rest = new CopyOnWriteArrayList<>();
        CommitPatternsExample again = new CommitPatternsExample(cfg);
        ExampleFixtures.Loop loop2 = new ExampleFixtures.Loop("commit-patterns-2", () -> again.run(topic, rest::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> rest.size() >= 200 - processed.size() || !loop2.isAlive());
        again.shutdown();
        loop2.join(Duration.ofSeconds(10));
        assertThat(rest).hasSize(200 - processed.size());
        assertThat(rest)
                .allSatisfy(r -> assertThat(r.offset())
                        .isGreaterThanOrEqualTo(lastPlusOne.get(new TopicPartition(r.topic(), r.partition()))));
    }
}
