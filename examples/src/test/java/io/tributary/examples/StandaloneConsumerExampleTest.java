package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AdminClientConfig;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StandaloneConsumerExample: partitionsFor + assign reads every partition, commitSync stores offsets, no membership (C10). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StandaloneConsumerExampleTest {
    @Test
    void assignsEveryPartitionReadsEverythingAndCommits() throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("standalone", 3, 15);
        String topic = scenario.topic();
        String group = scenario.group();

        List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
        StandaloneConsumerExample example =
                new StandaloneConsumerExample(Examples.consumerConfig(ExampleFixtures.bootstrap(), group));
        AtomicReference<List<TopicPartition>> assigned = new AtomicReference<>();
        ExampleFixtures.Loop loop =
                new ExampleFixtures.Loop("standalone", () -> assigned.set(example.run(topic, seen::add)));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 45 || !loop.isAlive());

        // While it runs, the group has no members: assign() never joins (C10).
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ExampleFixtures.bootstrap());
        try (Admin admin = Admin.create(adminProps)) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(group);
            assertThat(d.members()).isEmpty();
        }
        example.shutdown();
        loop.join(Duration.ofSeconds(10));

        assertThat(assigned.get())
                .containsExactlyInAnyOrder(
                        new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        assertThat(seen).hasSize(45);
        for (int p = 0; p < 3; p++) {
            int partition = p;
            assertThat(seen.stream().filter(r -> r.partition() == partition).map(ConsumerRecord::offset))
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        }
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 3))
                .isEqualTo(ExampleFixtures.offsets(topic, 3, 15));
    }
}
