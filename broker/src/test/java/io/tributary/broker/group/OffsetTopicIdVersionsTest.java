package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OffsetCommit and OffsetFetch v10 name topics by id (issue 10, topic ids): a commit by id is
 * stored under the topic's name, so a by-name fetch (v9) sees it and a by-id fetch (v10) answers
 * with the id; an id no topic has gets UNKNOWN_TOPIC_ID on both APIs.
 */
class OffsetTopicIdVersionsTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    private UUID topicId;

    @BeforeEach
    void start() {
        fixture.get().state().topics().create("t", 2, 1, Map.of(), false);
        topicId = fixture.get().state().topics().topic("t").topicId();
    }

    @Test
    void aCommitByIdIsFetchedByIdAndByName() throws Exception {
        UUID unknown = UUID.randomUUID();
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            OffsetCommitResponseData committed = c.roundTrip(
                    new OffsetCommitRequestData()
                            .setGroupId("g")
                            .setTopics(List.of(commitTopic(topicId, 0, 42), commitTopic(unknown, 0, 7))),
                    new OffsetCommitResponseData(),
                    (short) 10);
            assertThat(committed.topics).hasSize(2);
            assertThat(committed.topics.get(0).topicId).isEqualTo(topicId);
            assertThat(committed.topics.get(0).partitions.get(0).errorCode).isEqualTo(Errors.NONE.code());
            assertThat(committed.topics.get(1).topicId).isEqualTo(unknown);
            assertThat(committed.topics.get(1).partitions.get(0).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());

            OffsetFetchResponseData.OffsetFetchResponseGroup byId = fetch(
                    c,
                    (short) 10,
                    List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                    .setTopicId(topicId)
                                    .setPartitionIndexes(List.of(0)),
                            new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                    .setTopicId(unknown)
                                    .setPartitionIndexes(List.of(0))));
            assertThat(byId.topics).extracting(t -> t.topicId).containsExactly(topicId, unknown);
            assertThat(byId.topics.get(0).partitions.get(0).committedOffset).isEqualTo(42);
            assertThat(byId.topics.get(1).partitions.get(0).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());

            OffsetFetchResponseData.OffsetFetchResponseGroup all = fetch(c, (short) 10, null);
            assertThat(all.topics).extracting(t -> t.topicId).containsExactly(topicId);

            OffsetFetchResponseData.OffsetFetchResponseGroup byName = fetch(
                    c,
                    (short) 9,
                    List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                            .setName("t")
                            .setPartitionIndexes(List.of(0))));
            assertThat(byName.topics.get(0).name).isEqualTo("t");
            assertThat(byName.topics.get(0).topicId).isEqualTo(Uuids.ZERO);
            assertThat(byName.topics.get(0).partitions.get(0).committedOffset).isEqualTo(42);
        }
    }

    private static OffsetCommitRequestData.OffsetCommitRequestTopic commitTopic(UUID id, int partition, long offset) {
        return new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setTopicId(id)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition)
                        .setCommittedOffset(offset)));
    }

    private static OffsetFetchResponseData.OffsetFetchResponseGroup fetch(
            TestConnection c, short version, List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics)
            throws Exception {
        OffsetFetchResponseData resp = c.roundTrip(
                new OffsetFetchRequestData()
                        .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                .setGroupId("g")
                                .setTopics(topics))),
                new OffsetFetchResponseData(),
                version);
        assertThat(resp.groups).hasSize(1);
        assertThat(resp.groups.get(0).errorCode).isEqualTo(Errors.NONE.code());
        return resp.groups.get(0);
    }
}
