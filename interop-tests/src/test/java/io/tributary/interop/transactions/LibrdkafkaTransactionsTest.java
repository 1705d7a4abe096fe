package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: librdkafka's transactional producer (python3-confluent-kafka 1.7.0 on librdkafka
 * 2.0.2) commits and aborts against our broker and Apache Kafka alike: each of the three
 * transactions leaves a record and a marker in every partition.
 */
class LibrdkafkaTransactionsTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int PARTITIONS = 3;

    static java.util.stream.Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void confluentKafkaCommitsAndAborts(Target target) throws Exception {
        ExternalCommand.requireExecutable(PYTHON);
        Path script =
                Path.of("src", "test", "python", "confluent_transactions.py").toAbsolutePath();
        assertThat(Files.isRegularFile(script)).as("%s exists", script).isTrue();
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("python-txn");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        ExternalCommand.Result result = ExternalCommand.run(
                        List.of(
                                PYTHON,
                                script.toString(),
                                broker.bootstrapServers(),
                                topic,
                                Integer.toString(PARTITIONS),
                                KafkaClients.uniqueTopic("python-txn-id")),
                        new byte[0],
                        Duration.ofSeconds(90))
                .assertSuccess();
        assertThat(result.stdout()).as("stderr:%n%s", result.stderr()).contains("OK transactions=3");
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    admin.listOffsets(specs).all().get(20, TimeUnit.SECONDS).entrySet().stream()
                                            .collect(Collectors.toMap(
                                                    e -> e.getKey().partition(),
                                                    e -> e.getValue().offset())))
                            .isEqualTo(Map.of(0, 6L, 1, 6L, 2, 6L)));
        }
    }
}
