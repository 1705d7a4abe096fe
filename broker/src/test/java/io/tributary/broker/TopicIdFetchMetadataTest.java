package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.protocol.message.ProduceResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 (topic ids and versions), over a real socket: Metadata v10-13 report topic ids and
 * answer requests by id (UNKNOWN_TOPIC_ID for an id this broker never had), Fetch v12 by name and
 * v13-18 by id (UNKNOWN_TOPIC_ID per partition, the id echoed), parked fetches by id woken by an
 * append, and the v12 diverging-epoch answer.
 */
class TopicIdFetchMetadataTest {
    private static final short CREATE_TOPICS_V = 7;
    private static final UUID NEVER_CREATED = UUID.fromString("7b1f1c9e-0000-4000-8000-00000000abcd");

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    /** Creates a topic at CreateTopics v7 and returns the id the broker answered with. */
    private static UUID createTopic(TestConnection c, String name, int partitions) throws Exception {
        List<CreateTopicsRequestData.CreatableTopic> ts = new ArrayList<>();
        ts.add(new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor((short) -1));
        CreateTopicsResponseData r = c.roundTrip(
                new CreateTopicsRequestData().setTopics(ts), new CreateTopicsResponseData(), CREATE_TOPICS_V);
        assertThat(r.topics.get(0).errorCode).isZero();
        assertThat(r.topics.get(0).topicId).isNotEqualTo(Uuids.ZERO);
        return r.topics.get(0).topicId;
    }

    private static void produce(TestConnection c, String topic, String... values) throws Exception {
        ProduceResponseData r = c.roundTrip(
                Wire.produce(topic, 0, (short) 1, Wire.records(1_000, values)), new ProduceResponseData(), (short) 9);
        assertThat(r.responses.get(0).partitionResponses.get(0).errorCode).isZero();
    }

    private static MetadataRequestData byIds(UUID... ids) {
        List<MetadataRequestData.MetadataRequestTopic> ts = new ArrayList<>();
        for (UUID id : ids) {
            ts.add(new MetadataRequestData.MetadataRequestTopic().setTopicId(id).setName(null));
        }
        return new MetadataRequestData().setTopics(ts).setAllowAutoTopicCreation(false);
    }

    /** A full fetch (session 0) of partition 0 of each topic id from offset 0. */
    private static FetchRequestData fetchByIds(int maxWaitMs, int minBytes, UUID... ids) {
        FetchRequestData f = Wire.fetch(maxWaitMs, minBytes, 1 << 20);
        for (UUID id : ids) {
            List<FetchRequestData.FetchPartition> parts = new ArrayList<>();
            parts.add(new FetchRequestData.FetchPartition()
                    .setPartition(0)
                    .setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            f.topics.add(new FetchRequestData.FetchTopic().setTopicId(id).setPartitions(parts));
        }
        return f;
    }

    @Test
    void metadataReportsTopicIdsAndAnswersByIdFromV12() throws Exception {
        try (TestConnection c = connect()) {
            UUID id = createTopic(c, "ids-meta", 2);
            for (short v = 10; v <= 13; v++) {
                MetadataResponseData byName =
                        c.roundTrip(Wire.metadata(false, "ids-meta"), new MetadataResponseData(), v);
                assertThat(byName.topics).singleElement().satisfies(t -> {
                    assertThat(t.errorCode).isZero();
                    assertThat(t.topicId).isEqualTo(id);
                    assertThat(t.partitions).hasSize(2);
                });
                assertThat(byName.errorCode).isZero();
            }
            for (short v = 12; v <= 13; v++) {
                MetadataResponseData r = c.roundTrip(byIds(id, NEVER_CREATED), new MetadataResponseData(), v);
                assertThat(r.topics).hasSize(2);
                assertThat(r.topics.get(0).name).isEqualTo("ids-meta");
                assertThat(r.topics.get(0).topicId).isEqualTo(id);
                assertThat(r.topics.get(0).partitions).hasSize(2);
                assertThat(r.topics.get(1).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
                assertThat(r.topics.get(1).name).isNull();
                assertThat(r.topics.get(1).topicId).isEqualTo(NEVER_CREATED);
            }
            // Apache's admin sends the id with the name left at its default, "" (not null): still by id.
            MetadataRequestData apacheStyle = byIds(id);
            apacheStyle.topics.get(0).setName("");
            assertThat(c.roundTrip(apacheStyle, new MetadataResponseData(), (short) 13).topics)
                    .singleElement()
                    .satisfies(t -> assertThat(t.name).isEqualTo("ids-meta"));
            // v10-11 carry the id field, but Kafka serves ids only from v12 and refuses the request.
            MetadataResponseData refused = c.roundTrip(byIds(id), new MetadataResponseData(), (short) 11);
            assertThat(refused.topics)
                    .singleElement()
                    .satisfies(t -> assertThat(t.errorCode).isEqualTo(Errors.INVALID_REQUEST.code()));
        }
    }

    @Test
    void metadataReportsTopicAuthorizedOperationsWhenAskedFromV8() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "ids-ops", 1);
            MetadataRequestData asked = Wire.metadata(false, "ids-ops").setIncludeTopicAuthorizedOperations(true);
            MetadataResponseData r = c.roundTrip(asked, new MetadataResponseData(), (short) 12);
            // No authorizer: READ(3) WRITE(4) CREATE(5) DELETE(6) ALTER(7) DESCRIBE(8) DESCRIBE_CONFIGS(10)
            // ALTER_CONFIGS(11).
            assertThat(r.topics.get(0).topicAuthorizedOperations).isEqualTo(0b1101_1111_1000);
            MetadataResponseData notAsked =
                    c.roundTrip(Wire.metadata(false, "ids-ops"), new MetadataResponseData(), (short) 12);
            assertThat(notAsked.topics.get(0).topicAuthorizedOperations).isEqualTo(Integer.MIN_VALUE);
        }
    }

    @Test
    void fetchV12ByNameAndV13To18ByIdWithUnknownTopicId() throws Exception {
        try (TestConnection c = connect()) {
            UUID id = createTopic(c, "ids-fetch", 1);
            produce(c, "ids-fetch", "a", "b");
            FetchResponseData v12 = c.roundTrip(
                    Wire.fetch(0, 1, 1 << 20, "ids-fetch", 0, 0L, 1 << 20), new FetchResponseData(), (short) 12);
            assertThat(v12.responses.get(0).topic).isEqualTo("ids-fetch");
            assertThat(Wire.values(v12.responses.get(0).partitions.get(0).records))
                    .containsExactly("0:a", "1:b");
            for (short v = 13; v <= 18; v++) {
                FetchResponseData r = c.roundTrip(fetchByIds(0, 1, id, NEVER_CREATED), new FetchResponseData(), v);
                assertThat(r.errorCode).isZero();
                assertThat(r.sessionId).isZero();
                assertThat(r.responses).hasSize(2);
                FetchResponseData.FetchableTopicResponse known = r.responses.get(0);
                assertThat(known.topicId).isEqualTo(id);
                assertThat(known.partitions.get(0).errorCode).isZero();
                assertThat(known.partitions.get(0).highWatermark).isEqualTo(2);
                assertThat(known.partitions.get(0).logStartOffset).isZero();
                assertThat(Wire.values(known.partitions.get(0).records)).containsExactly("0:a", "1:b");
                FetchResponseData.FetchableTopicResponse unknown = r.responses.get(1);
                assertThat(unknown.topicId).isEqualTo(NEVER_CREATED);
                assertThat(unknown.partitions).singleElement().satisfies(p -> {
                    assertThat(p.partitionIndex).isZero();
                    assertThat(p.errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
                    assertThat(Wire.values(p.records)).isEmpty();
                });
            }
        }
    }

    @Test
    void fetchByIdOfADeletedAndRecreatedTopicIsUnknownTopicId() throws Exception {
        try (TestConnection c = connect()) {
            UUID old = createTopic(c, "ids-recreated", 1);
            produce(c, "ids-recreated", "old");
            c.roundTrip(
                    new io.tributary.protocol.message.DeleteTopicsRequestData()
                            .setTopicNames(new ArrayList<>(List.of("ids-recreated"))),
                    new io.tributary.protocol.message.DeleteTopicsResponseData(),
                    (short) 5);
            UUID fresh = createTopic(c, "ids-recreated", 1);
            assertThat(fresh).isNotEqualTo(old);
            FetchResponseData r = c.roundTrip(fetchByIds(0, 1, old, fresh), new FetchResponseData(), (short) 17);
            assertThat(r.responses.get(0).partitions.get(0).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
            assertThat(r.responses.get(1).partitions.get(0).errorCode).isZero();
        }
    }

    @Test
    void parkedFetchByIdIsAnsweredByAnAppend() throws Exception {
        try (TestConnection consumer = connect();
                TestConnection producer = connect()) {
            UUID id = createTopic(producer, "ids-parked", 1);
            // max_wait far beyond the socket timeout: only the append can answer this fetch in time.
            int corr = consumer.send(fetchByIds(60_000, 1, id), (short) 18);
            produce(producer, "ids-parked", "woke");
            FetchResponseData r = consumer.receive(corr, new FetchResponseData(), (short) 18);
            assertThat(r.responses.get(0).topicId).isEqualTo(id);
            assertThat(Wire.values(r.responses.get(0).partitions.get(0).records))
                    .containsExactly("0:woke");
        }
    }

    @Test
    void fetchV12NamingTheLastFetchedEpochGetsTheDivergingEpoch() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "ids-epoch", 1);
            produce(c, "ids-epoch", "a", "b", "c");
            FetchRequestData past = Wire.fetch(0, 1, 1 << 20, "ids-epoch", 0, 5L, 1 << 20);
            past.topics.get(0).partitions.get(0).setLastFetchedEpoch(0);
            FetchResponseData.PartitionData diverged = c.roundTrip(past, new FetchResponseData(), (short) 12)
                    .responses
                    .get(0)
                    .partitions
                    .get(0);
            assertThat(diverged.errorCode).isZero();
            assertThat(diverged.divergingEpoch.epoch).isZero();
            assertThat(diverged.divergingEpoch.endOffset).isEqualTo(3);
            assertThat(Wire.values(diverged.records)).isEmpty();

            FetchRequestData inside = Wire.fetch(0, 1, 1 << 20, "ids-epoch", 0, 1L, 1 << 20);
            inside.topics.get(0).partitions.get(0).setLastFetchedEpoch(0);
            FetchResponseData.PartitionData read = c.roundTrip(inside, new FetchResponseData(), (short) 12)
                    .responses
                    .get(0)
                    .partitions
                    .get(0);
            assertThat(read.divergingEpoch.epoch).isEqualTo(-1);
            // Whole batches, as always: the one holding offset 1 starts at 0.
            assertThat(Wire.values(read.records)).containsExactly("0:a", "1:b", "2:c");

            FetchRequestData unknownEpoch = Wire.fetch(0, 1, 1 << 20, "ids-epoch", 0, 1L, 1 << 20);
            unknownEpoch.topics.get(0).partitions.get(0).setLastFetchedEpoch(7);
            assertThat(c.roundTrip(unknownEpoch, new FetchResponseData(), (short) 12)
                            .responses
                            .get(0)
                            .partitions
                            .get(0)
                            .errorCode)
                    .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        }
    }
}
