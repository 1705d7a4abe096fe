package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.coordinator.RequestContext;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** EmbeddedBroker comes with the group coordinator, and restart() keeps what it committed. */
class EmbeddedBrokerGroupsTest {
    private static final RequestContext CTX = RequestContext.of(7, "testkit", "/127.0.0.1");

    private static GroupCoordinator coordinator(EmbeddedBroker b) {
        GroupCoordinatorExtension ext = b.broker().extension(GroupCoordinatorExtension.class);
        assertThat(ext).isNotNull();
        return ext.coordinator();
    }

    @Test
    void theGroupCoordinatorIsInstalledAndItsOffsetsSurviveRestart() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            assertThat(b.broker().apis().isRegistered(ApiMessageType.JOIN_GROUP))
                    .isTrue();
            assertThat(b.broker().apis().isRegistered(ApiMessageType.OFFSET_COMMIT))
                    .isTrue();
            coordinator(b)
                    .offsetCommit(
                            CTX,
                            new OffsetCommitRequestData()
                                    .setGroupId("g")
                                    .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                            .setName("t")
                                            .setPartitions(
                                                    List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                            .setPartitionIndex(0)
                                                            .setCommittedOffset(42))))))
                    .get(10, TimeUnit.SECONDS);

            b.restart();

            OffsetFetchResponseData f = coordinator(b)
                    .offsetFetch(
                            CTX, new OffsetFetchRequestData().setGroupId("g").setTopics(null))
                    .get(10, TimeUnit.SECONDS);
            assertThat(f.topics).hasSize(1);
            assertThat(f.topics.get(0).partitions.get(0).committedOffset).isEqualTo(42L);
        }
    }
}
