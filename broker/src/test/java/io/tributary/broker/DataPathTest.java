package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.topic.TopicManager;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.ListOffsetsResponseData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.protocol.message.ProduceResponseData;
import io.tributary.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Produce, fetch and list offsets end to end over real sockets, on real logs. */
class DataPathTest {
    static final short PRODUCE_V = 7;
    static final short FETCH_V = 11;

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    private void createTopic(TestConnection c, String name, int partitions) throws Exception {
        List<CreateTopicsRequestData.CreatableTopic> ts = new ArrayList<>();
        ts.add(new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor((short) -1));
        CreateTopicsResponseData r =
                c.roundTrip(new CreateTopicsRequestData().setTopics(ts), new CreateTopicsResponseData(), (short) 4);
        assertThat(r.topics.get(0).errorCode).isZero();
    }

    private ProduceResponseData.PartitionProduceResponse produce(
            TestConnection c, String topic, int partition, short acks, MemoryRecords records) throws Exception {
        ProduceResponseData r =
                c.roundTrip(Wire.produce(topic, partition, acks, records), new ProduceResponseData(), PRODUCE_V);
        return r.responses.get(0).partitionResponses.get(0);
    }

    @Test
    void produceThenFetchAndListOffsets() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "orders", 2);
            var p1 = produce(c, "orders", 1, (short) 1, Wire.records(1_000, "a", "b", "c"));
            assertThat(p1.errorCode).isZero();
            assertThat(p1.baseOffset).isZero();
            var p2 = produce(c, "orders", 1, (short) -1, Wire.records(2_000, "d", "e"));
            assertThat(p2.errorCode).isZero();
            assertThat(p2.baseOffset).isEqualTo(3);
            assertThat(p2.logStartOffset).isZero();

            FetchResponseData f = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "orders", 1, 0L, 1 << 20, "orders", 0, 0L, 1 << 20),
                    new FetchResponseData(),
                    FETCH_V);
            assertThat(f.errorCode).isZero();
            assertThat(f.sessionId).isZero();
            assertThat(f.responses).hasSize(1);
            var parts = f.responses.get(0).partitions;
            assertThat(parts).extracting(p -> p.partitionIndex).containsExactly(1, 0);
            assertThat(parts.get(0).highWatermark).isEqualTo(5);
            assertThat(Wire.values(parts.get(0).records)).containsExactly("0:a", "1:b", "2:c", "3:d", "4:e");
            assertThat(parts.get(1).highWatermark).isZero();
            assertThat(Wire.values(parts.get(1).records)).isEmpty();

            // Fetching from the middle of a batch returns the whole batch, as Kafka does.
            FetchResponseData mid =
                    c.roundTrip(Wire.fetch(0, 1, 1 << 20, "orders", 1, 4L, 1 << 20), new FetchResponseData(), FETCH_V);
            assertThat(Wire.values(mid.responses.get(0).partitions.get(0).records))
                    .containsExactly("3:d", "4:e");

            assertThat(listOffset(c, "orders", 1, -2L).offset).isZero();
            assertThat(listOffset(c, "orders", 1, -1L).offset).isEqualTo(5);
            ListOffsetsResponseData.ListOffsetsPartitionResponse byTime = listOffset(c, "orders", 1, 1_500L);
            assertThat(byTime.offset).isEqualTo(3);
            assertThat(byTime.timestamp).isEqualTo(2_000L);
            assertThat(listOffset(c, "orders", 1, 9_999L).offset).isEqualTo(-1);
            assertThat(listOffset(c, "nope", 0, -1L).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            FetchResponseData out = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "orders", 1, 99L, 1 << 20, "ghost", 0, 0L, 100),
                    new FetchResponseData(),
                    FETCH_V);
            assertThat(out.responses.get(0).partitions.get(0).errorCode).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            assertThat(out.responses.get(1).partitions.get(0).errorCode)
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(
            TestConnection c, String topic, int p, long ts) throws Exception {
        ListOffsetsResponseData r =
                c.roundTrip(Wire.listOffsets(topic, p, ts), new ListOffsetsResponseData(), (short) 2);
        return r.topics.get(0).partitions.get(0);
    }

    @Test
    void fetchByteLimitsKeepTheFirstBatchRule() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "big", 2);
            String payload = "x".repeat(300);
            for (int i = 0; i < 3; i++) {
                produce(c, "big", 0, (short) 1, Wire.records(1_000, payload));
                produce(c, "big", 1, (short) 1, Wire.records(1_000, payload));
            }
            // Partition limit below one batch: the first partition still gets its first batch,
            // whole; the next partition, no longer first, gets nothing over its limit.
            FetchResponseData f = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "big", 0, 0L, 10, "big", 1, 0L, 10), new FetchResponseData(), FETCH_V);
            var parts = f.responses.get(0).partitions;
            assertThat(Wire.batchCount(parts.get(0).records)).isEqualTo(1);
            assertThat(parts.get(1).records.sizeInBytes()).isZero();
            // Response limit: room for about one batch in total.
            int oneBatch = parts.get(0).records.sizeInBytes();
            FetchResponseData g = c.roundTrip(
                    Wire.fetch(0, 1, oneBatch + 10, "big", 0, 0L, 1 << 20, "big", 1, 0L, 1 << 20),
                    new FetchResponseData(),
                    FETCH_V);
            assertThat(Wire.batchCount(g.responses.get(0).partitions.get(0).records))
                    .isEqualTo(1);
            assertThat(g.responses.get(0).partitions.get(1).records.sizeInBytes())
                    .isZero();
            assertThat(g.responses.get(0).partitions).hasSize(2);
        }
    }

    @Test
    void fetchResponsesAreWholeBelowAndAboveTheCopiedSize() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "sizes", 2);
            // Partition 0 holds more than a response copies into memory (16 KiB), partition 1 a
            // little: alone it is copied, together with partition 0 both go out as file regions.
            String big = "b".repeat(6_000);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertThat(produce(c, "sizes", 0, (short) -1, Wire.records(1_000, big + i)).errorCode)
                        .isZero();
                expected.add(i + ":" + big + i);
            }
            produce(c, "sizes", 1, (short) 1, Wire.records(1_000, "s0", "s1"));

            FetchResponseData small =
                    c.roundTrip(Wire.fetch(0, 1, 1 << 20, "sizes", 1, 0L, 1 << 20), new FetchResponseData(), FETCH_V);
            assertThat(Wire.values(small.responses.get(0).partitions.get(0).records))
                    .containsExactly("0:s0", "1:s1");

            FetchResponseData both = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "sizes", 0, 0L, 1 << 20, "sizes", 1, 1L, 1 << 20),
                    new FetchResponseData(),
                    FETCH_V);
            var parts = both.responses.get(0).partitions;
            assertThat(parts.get(0).records.sizeInBytes()).isGreaterThan(16 * 1024);
            assertThat(Wire.values(parts.get(0).records)).containsExactlyElementsOf(expected);
            assertThat(Wire.values(parts.get(1).records)).containsExactly("0:s0", "1:s1");

            // Two small slices in one response: both copied, in order, then the next request answered.
            FetchResponseData two = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "sizes", 0, 3L, 1 << 20, "sizes", 1, 0L, 1 << 20),
                    new FetchResponseData(),
                    FETCH_V);
            assertThat(Wire.values(two.responses.get(0).partitions.get(0).records))
                    .containsExactly(expected.get(3));
            assertThat(Wire.values(two.responses.get(0).partitions.get(1).records))
                    .containsExactly("0:s0", "1:s1");
            assertThat(listOffset(c, "sizes", 0, -1L).offset).isEqualTo(4);
        }
    }

    @Test
    void longPollIsWokenByAnAppendAndResponsesStayInOrder() throws Exception {
        try (TestConnection consumer = connect();
                TestConnection producer = connect()) {
            createTopic(consumer, "live", 1);
            long t0 = System.nanoTime();
            int fetchId = consumer.send(Wire.fetch(10_000, 1, 1 << 20, "live", 0, 0L, 1 << 20), FETCH_V);
            // A request pipelined behind the parked fetch must wait for it.
            int versionsId = consumer.send(new ApiVersionsRequestData(), (short) 3);
            produce(producer, "live", 0, (short) 1, Wire.records(1_000, "wake"));
            FetchResponseData f = consumer.receive(fetchId, new FetchResponseData(), FETCH_V);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(Wire.values(f.responses.get(0).partitions.get(0).records))
                    .containsExactly("0:wake");
            assertThat(tookMs).isLessThan(5_000);
            assertThat(consumer.receive(versionsId, new ApiVersionsResponseData(), (short) 3).errorCode)
                    .isZero();
        }
    }

    @Test
    void longPollTimesOutEmpty() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "quiet", 1);
            long t0 = System.nanoTime();
            FetchResponseData f =
                    c.roundTrip(Wire.fetch(300, 1, 1 << 20, "quiet", 0, 0L, 1 << 20), new FetchResponseData(), FETCH_V);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tookMs).isGreaterThanOrEqualTo(250);
            assertThat(f.responses.get(0).partitions.get(0).errorCode).isZero();
            assertThat(f.responses.get(0).partitions.get(0).records.sizeInBytes())
                    .isZero();
        }
    }

    @Test
    void idempotentRetryIsNotWrittenTwice() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "idem", 1);
            InitProducerIdResponseData id = c.roundTrip(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1),
                    new InitProducerIdResponseData(),
                    (short) 4);
            long pid = id.producerId;
            var first = produce(c, "idem", 0, (short) -1, Wire.idempotentRecords(pid, (short) 0, 0, "a", "b"));
            var retry = produce(c, "idem", 0, (short) -1, Wire.idempotentRecords(pid, (short) 0, 0, "a", "b"));
            assertThat(first.errorCode).isZero();
            assertThat(retry.errorCode).isZero();
            assertThat(retry.baseOffset).isEqualTo(first.baseOffset);
            var gap = produce(c, "idem", 0, (short) -1, Wire.idempotentRecords(pid, (short) 0, 5, "z"));
            assertThat(gap.errorCode).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            var next = produce(c, "idem", 0, (short) -1, Wire.idempotentRecords(pid, (short) 0, 2, "c"));
            assertThat(next.baseOffset).isEqualTo(2);
            assertThat(listOffset(c, "idem", 0, -1L).offset).isEqualTo(3);
        }
    }

    @Test
    void badCrcGetsCorruptMessageAndTheConnectionLives() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "crc", 1);
            MemoryRecords recs = Wire.records(1_000, "hello");
            ByteBuffer b = recs.buffer();
            b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 0x55));
            var r = produce(c, "crc", 0, (short) 1, recs);
            assertThat(r.errorCode).isEqualTo(Errors.CORRUPT_MESSAGE.code());
            assertThat(produce(c, "crc", 0, (short) 1, Wire.records(1_000, "ok")).baseOffset)
                    .isZero();
        }
    }

    @Test
    void acksZeroSendsNothingAndClosesOnError() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "fire", 1);
            c.send(Wire.produce("fire", 0, (short) 0, Wire.records(1_000, "x")), PRODUCE_V);
            int after = c.send(new ApiVersionsRequestData(), (short) 3);
            // The next frame is the ApiVersions answer: acks=0 got no response.
            assertThat(c.receive(after, new ApiVersionsResponseData(), (short) 3).errorCode)
                    .isZero();
            assertThat(listOffset(c, "fire", 0, -1L).offset).isEqualTo(1);
            c.send(Wire.produce("no-such-topic", 0, (short) 0, Wire.records(1_000, "x")), PRODUCE_V);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void produceBelowV3ClosesTheConnection() throws Exception {
        try (TestConnection c = connect()) {
            c.sendRaw(TestConnection.encodeRequest(ApiMessageType.PRODUCE.apiKey(), (short) 2, 9, "old", null));
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void metadataAutoCreatesWhenAllowed() throws Exception {
        try (TestConnection c = connect()) {
            MetadataResponseData m = c.roundTrip(Wire.metadata(true, "auto1"), new MetadataResponseData(), (short) 4);
            assertThat(m.topics.get(0).errorCode).isZero();
            assertThat(m.topics.get(0).partitions).hasSize(1);
            assertThat(m.brokers.get(0).port).isEqualTo(fixture.get().boundPort());
            assertThat(m.clusterId).isNotBlank();
            MetadataResponseData no = c.roundTrip(Wire.metadata(false, "auto2"), new MetadataResponseData(), (short) 4);
            assertThat(no.topics.get(0).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            MetadataResponseData all = c.roundTrip(
                    new MetadataResponseData() == null
                            ? null
                            : new io.tributary.protocol.message.MetadataRequestData().setTopics(null),
                    new MetadataResponseData(),
                    (short) 1);
            assertThat(all.topics).extracting(t -> t.name).containsExactly("auto1");
        }
    }

    @Test
    void everyServedProduceAndFetchVersionRoundTrips() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "versions", 1);
            long expected = 0;
            for (short v = 3; v <= 7; v++) {
                ProduceResponseData r = c.roundTrip(
                        Wire.produce("versions", 0, (short) 1, Wire.records(1_000, "v" + v)),
                        new ProduceResponseData(),
                        v);
                assertThat(r.responses.get(0).partitionResponses.get(0).baseOffset)
                        .isEqualTo(expected++);
            }
            for (short v = 4; v <= 11; v++) {
                FetchResponseData f =
                        c.roundTrip(Wire.fetch(0, 1, 1 << 20, "versions", 0, 0L, 1 << 20), new FetchResponseData(), v);
                assertThat(Wire.values(f.responses.get(0).partitions.get(0).records))
                        .as("fetch v%d", v)
                        .containsExactly("0:v3", "1:v4", "2:v5", "3:v6", "4:v7");
            }
            assertThat(c.roundTrip(Wire.listOffsets("versions", 0, -1L), new ListOffsetsResponseData(), (short) 1)
                            .topics
                            .get(0)
                            .partitions
                            .get(0)
                            .offset)
                    .isEqualTo(5);
        }
    }

    @Test
    void oversizedBatchGetsMessageTooLarge() throws Exception {
        fixture.restart(Map.of("message.max.bytes", "200"));
        try (TestConnection c = connect()) {
            createTopic(c, "small", 1);
            var r = produce(c, "small", 0, (short) 1, Wire.records(1_000, "y".repeat(300)));
            assertThat(r.errorCode).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
            assertThat(produce(c, "small", 0, (short) 1, Wire.records(1_000, "fits")).errorCode)
                    .isZero();
        }
    }

    @Test
    void retentionFromBrokerConfigDeletesOldSegments() throws Exception {
        fixture.restart(Map.of(
                "log.segment.bytes", "1024", "log.retention.bytes", "2048", "log.retention.check.interval.ms", "100"));
        try (TestConnection c = connect()) {
            createTopic(c, "short", 1);
            for (int i = 0; i < 20; i++) {
                produce(c, "short", 0, (short) 1, Wire.records(1_000, "r".repeat(300)));
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> listOffset(c, "short", 0, -2L).offset > 0);
            assertThat(listOffset(c, "short", 0, -1L).offset).isEqualTo(20);
            long start = listOffset(c, "short", 0, -2L).offset;
            FetchResponseData f =
                    c.roundTrip(Wire.fetch(0, 1, 1 << 20, "short", 0, 0L, 1 << 20), new FetchResponseData(), FETCH_V);
            assertThat(f.responses.get(0).partitions.get(0).errorCode).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            assertThat(f.responses.get(0).partitions.get(0).logStartOffset).isEqualTo(start);
        }
    }

    @Test
    void dataSurvivesRestart() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "durable", 1);
            produce(c, "durable", 0, (short) -1, Wire.records(1_000, "kept"));
        }
        fixture.restart(Map.of());
        try (TestConnection c = connect()) {
            FetchResponseData f =
                    c.roundTrip(Wire.fetch(0, 1, 1 << 20, "durable", 0, 0L, 1 << 20), new FetchResponseData(), FETCH_V);
            assertThat(Wire.values(f.responses.get(0).partitions.get(0).records))
                    .containsExactly("0:kept");
            assertThat(produce(c, "durable", 0, (short) 1, Wire.records(1_000, "more")).baseOffset)
                    .isEqualTo(1);
        }
    }

    /**
     * Pipelined acks=all produces to two partitions, written before any response is read, so the
     * broker appends while earlier fsyncs run (issue 16): each is answered only once an fsync
     * covering it is done, so the log's recovery point is past it when the answer arrives.
     */
    @Test
    void pipelinedAcksAllProducesAreAnsweredOnlyWhenDurable() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "piped", 2);
            int requests = 10;
            List<Integer> correlations = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                correlations.add(
                        c.send(Wire.produce("piped", i % 2, (short) -1, Wire.records(1_000, "r" + i)), PRODUCE_V));
            }
            TopicManager topics = fixture.get().state().topics();
            for (int i = 0; i < requests; i++) {
                ProduceResponseData r = c.receive(correlations.get(i), new ProduceResponseData(), PRODUCE_V);
                var pr = r.responses.get(0).partitionResponses.get(0);
                assertThat(pr.errorCode).isZero();
                assertThat(pr.baseOffset).isEqualTo(i / 2);
                long durable =
                        topics.log(new TopicPartition("piped", i % 2)).log().durableOffset();
                assertThat(durable).isGreaterThan(pr.baseOffset);
            }
        }
    }
}
