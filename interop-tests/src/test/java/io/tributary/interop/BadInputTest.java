package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RawConnection;
import io.tributary.interop.support.RecordBatches;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over a raw socket gets a Kafka error code or a closed connection, never a crash
 * (PROTOCOL-COMPAT.md): a table of named cases ({@link #cases()}), one parameterized test over
 * them. Every case runs against Apache too, which is where the expected
 * reactions were taken from, and every case ends by checking that a well-behaved Java client
 * can still produce and consume on the same broker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final short API_VERSIONS = 18;
    private static final short METADATA = 3;
    private static final short PRODUCE = 0;
    private static final short UNSUPPORTED_VERSION = 35;
    private static final short CORRUPT_MESSAGE = 2;
    /** Apache's default {@code socket.request.max.bytes}; neither broker overrides it here. */
    private static final int SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;

    /** One bad input against one broker: sends it and checks the broker's reaction. */
    @FunctionalInterface
    interface BadInput {
        void sendAndCheck(RunningBroker broker) throws Exception;
    }

    /** What a case writes on a fresh raw connection. */
    @FunctionalInterface
    interface Send {
        void to(RawConnection connection) throws Exception;
    }

    /** The table: every named case, each against every target. */
    static Stream<Arguments> cases() {
        List<Named<BadInput>> cases = List.of(
                closesWithoutReply(
                        "negative frame size",
                        "connection closed after a negative size",
                        c -> c.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0, 18, 0, 0})),
                closesWithoutReply(
                        "frame too short for a request header",
                        "connection closed after a 3-byte frame",
                        c -> c.writeFrame(new byte[] {0, 18, 0})),
                closesWithoutReply(
                        "oversized frame (body never read)",
                        "connection closed when the size field exceeds socket.request.max.bytes",
                        c -> c.writeRaw(RawConnection.concat(
                                ByteBuffer.allocate(4)
                                        .putInt(SOCKET_REQUEST_MAX_BYTES + 1)
                                        .array(),
                                RawConnection.requestHeader(API_VERSIONS, 0, 1, "oversized", false)))),
                closesWithoutReply(
                        "unknown API key",
                        "connection closed after api key 9999",
                        c -> c.writeFrame(RawConnection.concat(
                                RawConnection.requestHeader(9_999, 0, 7, "unknown-api", false),
                                new byte[] {0, 0, 0, 0}))),
                Named.of(
                        "unsupported ApiVersions version gets a v0 error, then v0 works",
                        BadInputTest::unsupportedApiVersionsVersionThenVersionZero),
                closesWithoutReply(
                        "unsupported Metadata version",
                        "connection closed after Metadata v127",
                        c -> c.writeFrame(RawConnection.concat(
                                RawConnection.requestHeader(METADATA, 127, 3, "future", true),
                                new byte[] {1, 0, 0, 0}))),
                // acks, timeout, empty topic array: a well-formed v2 body the broker must refuse.
                closesWithoutReply(
                        "Produce version 2",
                        "connection closed after Produce v2",
                        c -> c.writeFrame(RawConnection.concat(
                                RawConnection.requestHeader(PRODUCE, 2, 5, "old", false),
                                ByteBuffer.allocate(10)
                                        .putShort((short) 1)
                                        .putInt(1000)
                                        .putInt(0)
                                        .array()))),
                // Metadata v1 wants an int32 topic count (or -1): give it two bytes of it.
                closesWithoutReply(
                        "request body cut short inside its frame",
                        "connection closed after a cut-short body",
                        c -> c.writeFrame(RawConnection.concat(
                                RawConnection.requestHeader(METADATA, 1, 9, "cut", false), new byte[] {0, 0}))),
                closesWithoutReply(
                        "frame cut short by the client going away", "broker closes its side, answering nothing", c -> {
                            byte[] header = RawConnection.requestHeader(METADATA, 1, 11, "gone", false);
                            c.writeRaw(RawConnection.concat(
                                    ByteBuffer.allocate(4).putInt(100).array(), header));
                            c.shutdownOutput();
                        }),
                Named.of(
                        "Produce with a bad CRC gets CORRUPT_MESSAGE and appends nothing",
                        BadInputTest::produceWithABadCrc));
        return cases.stream().flatMap(c -> Arrays.stream(Target.values()).map(t -> Arguments.of(t, c)));
    }

    @ParameterizedTest(name = "{1} [{0}]")
    @MethodSource("cases")
    void badInputGetsAnErrorOrAClosedConnectionAndTheBrokerStillServes(Target target, BadInput input) throws Exception {
        RunningBroker broker = target.shared();
        input.sendAndCheck(broker);
        assertStillServes(broker);
    }

    /** A case that sends {@code send} and expects the broker to close the connection without a reply. */
    private static Named<BadInput> closesWithoutReply(String name, String description, Send send) {
        return Named.of(name + " closes the connection", broker -> {
            try (RawConnection connection = RawConnection.open(broker, READ_TIMEOUT)) {
                send.to(connection);
                assertThat(connection.closedByPeerWithoutReply())
                        .as(description)
                        .isTrue();
            }
        });
    }

    private static void unsupportedApiVersionsVersionThenVersionZero(RunningBroker broker) throws Exception {
        try (RawConnection connection = RawConnection.open(broker, READ_TIMEOUT)) {
            // What a future client would send: a flexible header and a body we cannot know.
            connection.writeFrame(RawConnection.concat(
                    RawConnection.requestHeader(API_VERSIONS, 127, 41, "future", true),
                    new byte[] {7, 'f', 'u', 't', 'u', 'r', 'e', 2, '9', 0, 0x55, 0x66}));
            ByteBuffer error = connection.readFrame();
            assertThat(error.getInt()).as("correlation id").isEqualTo(41);
            assertThat(error.getShort()).as("error code").isEqualTo(UNSUPPORTED_VERSION);
            List<short[]> errorKeys = readApiVersionsV0Keys(error);
            assertThat(error.remaining()).as("bytes after the v0 body").isZero();
            short[] apiVersionsEntry = errorKeys.stream()
                    .filter(k -> k[0] == API_VERSIONS)
                    .findFirst()
                    .orElse(null);
            assertThat(apiVersionsEntry)
                    .as("ApiVersions entry in the error response")
                    .isNotNull();
            assertThat(apiVersionsEntry[1]).as("ApiVersions min").isZero();
            assertThat(apiVersionsEntry[2]).as("ApiVersions max").isGreaterThanOrEqualTo((short) 3);

            // librdkafka's fallback: retry with v0 on the same connection.
            connection.writeFrame(RawConnection.requestHeader(API_VERSIONS, 0, 42, "fallback", false));
            ByteBuffer ok = connection.readFrame();
            assertThat(ok.getInt()).as("correlation id").isEqualTo(42);
            assertThat(ok.getShort()).as("error code").isZero();
            List<short[]> keys = readApiVersionsV0Keys(ok);
            assertThat(keys).as("advertised APIs").hasSizeGreaterThan(5);
            assertThat(keys.stream()
                            .filter(k -> k[0] == API_VERSIONS)
                            .findFirst()
                            .orElseThrow()[2])
                    .as("max ApiVersions version agrees between the two answers")
                    .isEqualTo(apiVersionsEntry[2]);
        }
    }

    private static void produceWithABadCrc(RunningBroker broker) throws Exception {
        String topic = KafkaClients.uniqueTopic("bad-crc");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        byte[][] keys = {"k0".getBytes(StandardCharsets.UTF_8), "k1".getBytes(StandardCharsets.UTF_8)};
        byte[][] values = {
            "good value 0".getBytes(StandardCharsets.UTF_8), "good value 1".getBytes(StandardCharsets.UTF_8)
        };
        byte[] valid = RecordBatches.uncompressed(System.currentTimeMillis(), keys, values);
        byte[] corrupt = valid.clone();
        corrupt[corrupt.length - 3] ^= 0x20; // inside the last value: only the CRC can tell

        try (RawConnection connection = RawConnection.open(broker, READ_TIMEOUT)) {
            // The topic may take a moment to have a leader; until then the error is retriable.
            short[] firstError = {-1};
            await("produce with a bad CRC answered")
                    .atMost(Duration.ofSeconds(20))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        firstError[0] = (short) produceV7(connection, topic, corrupt)[0];
                        return firstError[0] != 3 && firstError[0] != 5 && firstError[0] != 6;
                    });
            assertThat(firstError[0])
                    .as("error code for a batch whose CRC does not match")
                    .isEqualTo(CORRUPT_MESSAGE);

            long[] accepted = produceV7(connection, topic, valid);
            assertThat(accepted[0])
                    .as("error code for the same batch with its CRC intact")
                    .isZero();
            assertThat(accepted[1])
                    .as("base offset: the corrupt batch took no offsets")
                    .isZero();
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(KafkaClients.pollTimeout()).forEach(records::add);
                        return records.size() >= 2;
                    });
            assertThat(records)
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("good value 0", "good value 1");
            assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 2L);
        }
    }

    /** Sends a Produce v7 (acks=all) of one batch to partition 0; returns {error code, base offset}. */
    private static long[] produceV7(RawConnection connection, String topic, byte[] batch) throws Exception {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(2 + 2 + 4 + 4 + 2 + name.length + 4 + 4 + 4 + batch.length);
        body.putShort((short) -1); // transactional id: null
        body.putShort((short) -1); // acks=all
        body.putInt(10_000);
        body.putInt(1).putShort((short) name.length).put(name);
        body.putInt(1).putInt(0).putInt(batch.length).put(batch);
        connection.writeFrame(
                RawConnection.concat(RawConnection.requestHeader(PRODUCE, 7, 77, "raw-producer", false), body.array()));
        ByteBuffer response = connection.readFrame();
        assertThat(response.getInt()).as("correlation id").isEqualTo(77);
        assertThat(response.getInt()).as("topics in response").isEqualTo(1);
        assertThat(RawConnection.readString(response)).isEqualTo(topic);
        assertThat(response.getInt()).as("partitions in response").isEqualTo(1);
        assertThat(response.getInt()).as("partition index").isZero();
        short errorCode = response.getShort();
        long baseOffset = response.getLong();
        return new long[] {errorCode, baseOffset};
    }

    private static List<short[]> readApiVersionsV0Keys(ByteBuffer buffer) {
        int count = buffer.getInt();
        assertThat(count).as("api key count").isBetween(0, 1000);
        List<short[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new short[] {buffer.getShort(), buffer.getShort(), buffer.getShort()});
        }
        return keys;
    }

    /** A well-behaved Java client can still produce to and consume from {@code broker}. */
    static void assertStillServes(RunningBroker broker) throws Exception {
        String topic = healthTopic(broker);
        byte[] value = ("alive " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        RecordMetadata metadata;
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
            metadata = producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(topic, metadata.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, metadata.offset());
            List<byte[]> seen = new ArrayList<>();
            await("record just produced is readable")
                    .atMost(Duration.ofSeconds(20))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(KafkaClients.pollTimeout()).forEach(r -> seen.add(r.value()));
                        return !seen.isEmpty();
                    });
            assertThat(seen.get(0)).isEqualTo(value);
        }
    }

    /** One health-check topic per broker address, created on first use. */
    private static final Map<String, String> HEALTH_TOPICS = new ConcurrentHashMap<>();

    private static String healthTopic(RunningBroker broker) {
        return HEALTH_TOPICS.computeIfAbsent(broker.bootstrapServers(), address -> {
            String topic =
                    KafkaClients.uniqueTopic("health-" + broker.target().name().toLowerCase(Locale.ROOT));
            try {
                KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
            } catch (Exception e) {
                throw new IllegalStateException("could not create " + topic, e);
            }
            return topic;
        });
    }
}
