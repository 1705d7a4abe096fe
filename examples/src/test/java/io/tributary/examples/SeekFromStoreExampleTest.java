package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SeekFromStoreExample: reading starts at the offsets in the file, not the group's (C9). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeekFromStoreExampleTest {
    @Test
    void consumptionStartsAtTheStoredOffsets(@TempDir Path dir) throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("seek", 3, 30);
        String topic = scenario.topic();
        String group = scenario.group();
        Path file = dir.resolve("offsets.properties");
        FileOffsetStore initial = new FileOffsetStore(file);
        initial.put(new TopicPartition(topic, 0), 10);
        initial.put(new TopicPartition(topic, 1), 25);
        initial.save();
        // Partition 2 is not in the store: auto.offset.reset=earliest applies there.

        List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
        SeekFromStoreExample example = new SeekFromStoreExample(
                Examples.consumerConfig(ExampleFixtures.bootstrap(), group), new FileOffsetStore(file));
        ExampleFixtures.Loop loop = new ExampleFixtures.Loop("seek-from-store", () -> example.run(topic, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 55 || !loop.isAlive());
        example.shutdown();
        loop.join(Duration.ofSeconds(10));

        assertThat(seen).hasSize(20 + 5 + 30);
        assertThat(offsetsOf(seen, 0)).first().isEqualTo(10L);
        assertThat(offsetsOf(seen, 0)).hasSize(20).doesNotHaveDuplicates();
        assertThat(offsetsOf(seen, 1)).first().isEqualTo(25L);
        assertThat(offsetsOf(seen, 1)).hasSize(5);
        assertThat(offsetsOf(seen, 2)).first().isEqualTo(0L);
        // The file now says where to continue; the broker holds no offsets for this group.
        assertThat(new FileOffsetStore(file).snapshot()).isEqualTo(ExampleFixtures.offsets(topic, 3, 30));
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 3))
                .isEmpty();
    }

    private static List<Long> offsetsOf(List<ConsumerRecord<String, String>> records, int partition) {
        return records.stream()
                .filter(r -> r.partition() == partition)
                .map(ConsumerRecord::offset)
                .toList();
    }
}
