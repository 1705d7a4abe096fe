package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.TopicPartition;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AdminExample (issue 12): our admin, producer and consumer together: create, fill, consume, lag, reset. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminExampleTest {
    @Test
    void createsFillsConsumesReportsLagAndResetsTheGroup() throws Exception {
        String topic = ExampleFixtures.unique("admin-example");
        String group = topic + "-group";
        try (AdminExample example = new AdminExample(ExampleFixtures.bootstrap())) {
            TopicDescription d = example.ensureTopic(topic, 3);
            assertThat(d.partitions()).hasSize(3);
            assertThat(example.ensureTopic(topic, 3).topicId())
                    .as("an existing topic is described, not recreated")
                    .isEqualTo(d.topicId());

            example.fill(topic, 3, 10);
            Map<TopicPartition, Long> before = example.lag(group, topic, 3);
            assertThat(before.values()).containsOnly(10L);

            int read = example.consume(topic, group, 12);
            assertThat(read).isGreaterThanOrEqualTo(12);
            Map<TopicPartition, Long> after = example.lag(group, topic, 3);
            assertThat(after.values().stream().mapToLong(Long::longValue).sum())
                    .as("lag after consuming %d of 30 records", read)
                    .isEqualTo(30L - read);

            Map<TopicPartition, Long> reset = example.resetToEarliest(group, topic);
            assertThat(reset.values()).containsOnly(0L);
            assertThat(example.lag(group, topic, 3).values()).containsOnly(10L);
        }
    }
}
