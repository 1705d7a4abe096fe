package io.tributary.broker.group;

import static io.tributary.broker.group.Clients.consumer;
import static io.tributary.broker.group.Clients.pollUntil;
import static io.tributary.broker.group.Clients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.BrokerMain;
import io.tributary.broker.TributaryBroker;
import io.tributary.storage.LogManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets and group membership outlive the broker process: a graceful restart, and a
 * SIGKILL of a BrokerMain child process (what is acknowledged was fsynced). A consumer that stays
 * up across the restart carries on in the same generation.
 */
class GroupRestartTest {
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Without "none", a client that loses every connection for a moment re-bootstraps: its
     * metadata briefly forgets the topic's partitions and the consumer rejoins on its own
     * (against Apache Kafka too). The test is about what the broker keeps, so it keeps metadata.
     */
    private static final Map<String, String> SURVIVING_CONSUMER = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            "20000",
            ConsumerConfig.CLIENT_ID_CONFIG,
            "survivor",
            "metadata.recovery.strategy",
            "none");

    @TempDir
    Path dir;

    @Test
    void offsetsAndAStableGroupSurviveAGracefulRestart() throws Exception {
        TributaryBroker broker = BrokerFixture.startGroups(dir, 0, Map.of());
        try {
            String bootstrap = broker.bootstrapServers();
            broker.state().topics().create(TOPIC, PARTITIONS, 1, Map.of(), false);
            produce(bootstrap, TOPIC, PARTITIONS, 40, "v");
            try (KafkaConsumer<String, String> c = consumer(bootstrap, "durable", SURVIVING_CONSUMER)) {
                int generation = consumeAllAndCommit(c);
                String memberId = c.groupMetadata().memberId();

                broker = BrokerFixture.restartGroups(broker, Map.of());

                assertOffsetsAndMember(bootstrap, "durable", memberId);
                carriesOnInTheSameGeneration(bootstrap, c, generation);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void offsetsAndAStableGroupSurviveASigkillOfTheBrokerProcess() throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        Process broker = launch(data, port, dir.resolve("first.log"));
        try {
            try (Admin admin = Clients.admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                        .all()
                        .get(20, TimeUnit.SECONDS);
            }
            produce(bootstrap, TOPIC, PARTITIONS, 40, "v");
            try (KafkaConsumer<String, String> c = consumer(bootstrap, "crash", SURVIVING_CONSUMER)) {
                int generation = consumeAllAndCommit(c);
                String memberId = c.groupMetadata().memberId();

                broker.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed on the way out
                assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(data.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
                broker = launch(data, port, dir.resolve("second.log"));

                assertOffsetsAndMember(bootstrap, "crash", memberId);
                carriesOnInTheSameGeneration(bootstrap, c, generation);
            }
        } finally {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    /** Consumes the 40 records, commits them and returns the generation it is in. */
    private static int consumeAllAndCommit(KafkaConsumer<String, String> c) {
        c.subscribe(List.of(TOPIC));
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        pollUntil(WAIT, () -> got.size() >= 40, got, c);
        c.commitSync();
        return c.groupMetadata().generationId();
    }

    private static void assertOffsetsAndMember(String bootstrap, String group, String memberId) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(offsets).hasSize(PARTITIONS);
            assertThat(offsets.values()).extracting(OffsetAndMetadata::offset).containsOnly(10L);
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(30, TimeUnit.SECONDS);
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.members()).extracting(m -> m.consumerId()).containsExactly(memberId);
            assertThat(d.members().iterator().next().assignment().topicPartitions())
                    .hasSize(PARTITIONS);
        }
    }

    /** The consumer that was up all along reconnects, heartbeats and fetches without rejoining. */
    private static void carriesOnInTheSameGeneration(String bootstrap, KafkaConsumer<String, String> c, int generation)
            throws Exception {
        produce(bootstrap, TOPIC, PARTITIONS, 4, "after-");
        List<ConsumerRecord<String, String>> more = new ArrayList<>();
        pollUntil(WAIT, () -> more.size() >= 4, more, c);
        assertThat(more)
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("after-0", "after-1", "after-2", "after-3");
        assertThat(c.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(c.assignment()).hasSize(PARTITIONS);
        c.commitSync();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts BrokerMain in a child JVM and waits until it prints where it listens. */
    private static Process launch(Path data, int port, Path output) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BrokerMain.class.getName(),
                        "--data-dir",
                        data.toString(),
                        "--port",
                        Integer.toString(port),
                        "--override",
                        "listeners=PLAINTEXT://127.0.0.1:" + port,
                        "--override",
                        "group.initial.rebalance.delay.ms=0",
                        "--override",
                        "group.min.session.timeout.ms=100",
                        "--override",
                        "num.network.threads=2"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "broker exited: " + Files.readString(output, StandardCharsets.UTF_8));
                }
                return Files.readString(output, StandardCharsets.UTF_8).contains("bootstrap.servers=");
            });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }
}
