package io.tributary.interop.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RawConnection;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import io.tributary.protocol.Errors;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.OffsetForLeaderEpochRequestData;
import io.tributary.protocol.message.OffsetForLeaderEpochResponseData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 3 acceptance, on our broker and on Apache Kafka alike: Apache's {@code DeleteRecordsCommand} with an
 * offsets JSON file moves a partition's start; {@code GetOffsetShell --time -2} shows it, {@code --time -3} names the
 * record with the largest timestamp, {@code LogDirsCommand --describe} shows the partition smaller once whole segments
 * below the start are gone; Apache consumers positioned below the start reset per {@code auto.offset.reset} (and one
 * seeking with a leader epoch is validated through OffsetForLeaderEpoch, answered the same by both); the start
 * survives a restart, for our broker a SIGKILL of a child-process broker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeleteRecordsAcceptanceTest {
    private static final int RECORDS = 1200;
    private static final long NEW_START = 500;
    private static final int MAX_TIMESTAMP_OFFSET = 1000;
    /** Kafka 4's smallest segment.bytes: ~3.6 MB of records make a few segments, some wholly below NEW_START. */
    private static final String SEGMENT_BYTES = "1048576";

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static RunningBroker start(Target target, Path dataDir) throws Exception {
        Map<String, String> settings = Map.of("log.retention.check.interval.ms", "500");
        if (target == Target.TRIBUTARY) {
            return TributaryProcess.start(dataDir, settings);
        }
        // Apache's retention passes begin only after log.initial.task.delay.ms (30 s by default).
        return target.startDedicated(
                Map.of("log.retention.check.interval.ms", "500", "log.initial.task.delay.ms", "0"));
    }

    /** Ours is SIGKILLed and started again on the same data; the in-process Apache broker restarts cleanly. */
    private static void crashOrRestart(RunningBroker broker) throws Exception {
        if (broker instanceof TributaryProcess process) {
            process.kill();
            process.startAgain();
        } else {
            broker.restart();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    void deleteRecordsCommandMovesTheStartAsKafkaDoes(Target target) throws Exception {
        try (RunningBroker broker = start(target, dir.resolve("data"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("purge");
            TopicPartition tp = new TopicPartition(topic, 0);
            produce(bootstrap, topic);
            long sizeBefore = ApacheTools.logDirSize(bootstrap, topic);
            assertThat(sizeBefore).isGreaterThan(3L * 1024 * 1024);

            String printed = ApacheTools.deleteRecords(
                    bootstrap,
                    dir,
                    "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":" + NEW_START
                            + "}],\"version\":1}");
            assertThat(printed).contains("partition: " + topic + "-0\tlow_watermark: " + NEW_START);

            assertThat(ApacheTools.getOffset(bootstrap, topic, "-2")).isEqualTo(NEW_START);
            assertThat(ApacheTools.getOffset(bootstrap, topic, "-1")).isEqualTo(RECORDS);
            assertThat(ApacheTools.getOffset(bootstrap, topic, "-3")).isEqualTo(MAX_TIMESTAMP_OFFSET);
            await(target + ": LogDirsCommand shows the segments below the start gone")
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> ApacheTools.logDirSize(bootstrap, topic) < sizeBefore);
            assertThat(ApacheTools.logDirSize(bootstrap, topic)).isPositive();

            assertOffsetForLeaderEpochAnswers(broker, topic);
            assertConsumersBelowTheStartReset(bootstrap, tp);

            crashOrRestart(broker);
            await(target + ": after the restart the start is still " + NEW_START)
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> ApacheTools.getOffset(broker.bootstrapServers(), topic, "-2") == NEW_START);
            try (KafkaConsumer<byte[], byte[]> c = KafkaClients.assignOnlyConsumer(
                    broker.bootstrapServers(), Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
                c.assign(List.of(tp));
                c.seek(tp, 0);
                assertThat(firstOffset(c)).isEqualTo(NEW_START);
            }
        }
    }

    private static void produce(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("segment.bytes", SEGMENT_BYTES))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        long base = System.currentTimeMillis() - 600_000;
        // Our producer feeds the data (issue 12 item 5): what is tested is the broker through Apache's tools.
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                long ts = i == MAX_TIMESTAMP_OFFSET ? base + 300_000 : base + i;
                producer.send(new ProducerRecord<>(topic, 0, ts, null, new byte[3000]));
            }
            producer.flush();
        }
        assertThat(ApacheTools.getOffset(bootstrap, topic, "-1")).isEqualTo(RECORDS);
    }

    private static void assertConsumersBelowTheStartReset(String bootstrap, TopicPartition tp) {
        try (KafkaConsumer<byte[], byte[]> earliest = KafkaClients.assignOnlyConsumer(
                bootstrap, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            earliest.assign(List.of(tp));
            earliest.seek(tp, 100);
            assertThat(firstOffset(earliest))
                    .as("earliest: reset to the new start")
                    .isEqualTo(NEW_START);
        }
        try (KafkaConsumer<byte[], byte[]> latest =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
            latest.assign(List.of(tp));
            latest.seek(tp, 100);
            await("latest: reset to the log end")
                    .atMost(DEADLINE)
                    .until(() -> latest.poll(KafkaClients.pollTimeout()).isEmpty() && latest.position(tp) == RECORDS);
        }
        try (KafkaConsumer<byte[], byte[]> none =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            none.assign(List.of(tp));
            none.seek(tp, 100);
            assertThatThrownBy(() -> {
                        long deadline = System.nanoTime() + DEADLINE.toNanos();
                        while (System.nanoTime() < deadline) {
                            none.poll(KafkaClients.pollTimeout());
                        }
                    })
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).offsetOutOfRangePartitions())
                            .containsEntry(tp, 100L));
        }
        try (KafkaConsumer<byte[], byte[]> withEpoch =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            withEpoch.assign(List.of(tp));
            withEpoch.seek(tp, new OffsetAndMetadata(800, Optional.of(0), ""));
            assertThat(firstOffset(withEpoch))
                    .as("a seek with leader epoch 0 validates")
                    .isEqualTo(800);
        }
    }

    private static long firstOffset(KafkaConsumer<byte[], byte[]> consumer) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        await("records").atMost(DEADLINE).until(() -> {
            consumer.poll(KafkaClients.pollTimeout()).forEach(got::add);
            return !got.isEmpty();
        });
        return got.get(0).offset();
    }

    /** The consumer's truncation check (KIP-320), sent by hand so both brokers answer the same questions. */
    private static void assertOffsetForLeaderEpochAnswers(RunningBroker broker, String topic) throws Exception {
        assertEpochAnswer(broker, topic, -1, 0, Errors.NONE, 0, RECORDS);
        assertEpochAnswer(broker, topic, 0, 0, Errors.NONE, 0, RECORDS);
        assertEpochAnswer(broker, topic, 0, 1, Errors.NONE, -1, -1);
        assertEpochAnswer(broker, topic, 0, -1, Errors.NONE, -1, -1);
        assertEpochAnswer(broker, topic, 1, 0, Errors.UNKNOWN_LEADER_EPOCH, -1, -1);
        assertEpochAnswer(broker, topic, 0, -5, Errors.NONE, -5, NEW_START);
    }

    private static void assertEpochAnswer(
            RunningBroker broker, String topic, int current, int epoch, Errors error, int endEpoch, long endOffset)
            throws Exception {
        short version = 4;
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData()
                .setReplicaId(-1)
                .setTopics(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                        .setTopic(topic)
                        .setPartitions(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                .setPartition(0)
                                .setCurrentLeaderEpoch(current)
                                .setLeaderEpoch(epoch)))));
        ProtocolWriter w = new ProtocolWriter();
        w.writeRaw(RawConnection.requestHeader(request.apiKey(), version, 7, "interop", true));
        request.write(w, version);
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        try (RawConnection c = RawConnection.open(broker, Duration.ofSeconds(10))) {
            c.writeFrame(w.toByteArray());
            ProtocolReader r = new ProtocolReader(c.readFrame());
            assertThat(r.readInt()).isEqualTo(7);
            assertThat(r.readUnsignedVarint()).as("no response header tags").isZero();
            response.read(r, version);
        }
        OffsetForLeaderEpochResponseData.EpochEndOffset p =
                response.topics.get(0).partitions.get(0);
        String what = broker.target() + ": current " + current + ", epoch " + epoch;
        assertThat(Errors.forCode(p.errorCode)).as(what).isEqualTo(error);
        assertThat(p.leaderEpoch).as(what).isEqualTo(endEpoch);
        assertThat(p.endOffset).as(what).isEqualTo(endOffset);
    }
}
