package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.formGroup;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** offsets.retention.minutes with Kafka's (KIP-211) rules, checked every offsets.retention.check.interval.ms. */
class OffsetRetentionTest {
    private static final long MINUTE = 60_000;
    private static final long RETENTION_MS = 60 * MINUTE;
    private static final long CHECK_MS = MINUTE;

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext(
            GroupCoordinatorConfig.defaults().withOffsetsRetention(RETENTION_MS, CHECK_MS));

    @Test
    void defaultRetentionIsSevenDaysCheckedEveryTenMinutes() {
        GroupCoordinatorConfig d = GroupCoordinatorConfig.defaults();
        assertThat(d.offsetsRetentionMs()).isEqualTo(7L * 24 * 60 * MINUTE);
        assertThat(d.offsetsRetentionCheckIntervalMs()).isEqualTo(10 * MINUTE);
        assertThat(GroupCoordinatorConfig.fromProperties(java.util.Map.of("offsets.retention.minutes", "5"))
                        .offsetsRetentionMs())
                .isEqualTo(5 * MINUTE);
    }

    @Test
    void standaloneOffsetsExpireFromTheirCommitThenTheGroupIsDeleted() {
        t.commit("s", "", -1, "t", 0, 1);
        t.sleep(30 * MINUTE);
        t.commit("s", "", -1, "t", 1, 2);
        t.sleep(30 * MINUTE);
        // p0 is 60 minutes old (expired at the check at the 60-minute mark), p1 is 30 minutes old.
        assertThat(t.committed("s", "t", 0)).isEqualTo(-1);
        assertThat(t.committed("s", "t", 1)).isEqualTo(2);
        assertThat(t.group("s")).isNotNull();
        t.sleep(30 * MINUTE);
        assertThat(t.committed("s", "t", 1)).isEqualTo(-1);
        assertThat(t.group("s")).as("empty group without offsets is deleted").isNull();
    }

    @Test
    void consumerGroupOffsetsExpireCountedFromWhenTheGroupBecameEmpty() {
        List<JoinGroupResponseData> m = formGroup(t, "g", 1);
        String id = m.get(0).memberId;
        t.commit("g", id, 1, "t", 0, 7);
        // The member stays for two hours (longer than the retention), heartbeating.
        for (int i = 0; i < 120 * 6; i++) {
            t.sleep(10_000 - 1);
            assertThat(t.heartbeat("g", id, 1)).isEqualTo(Errors.NONE);
        }
        assertThat(t.committed("g", "t", 0))
                .as("subscribed topic of a live group never expires")
                .isEqualTo(7);
        t.leave("g", member(id, null));
        assertThat(t.group("g").state()).isEqualTo(ClassicGroupState.EMPTY);
        t.sleep(RETENTION_MS - CHECK_MS);
        assertThat(t.committed("g", "t", 0)).isEqualTo(7);
        // The next check after the retention has passed (checks run once a minute).
        t.sleep(2 * CHECK_MS);
        assertThat(t.committed("g", "t", 0)).isEqualTo(-1);
        assertThat(t.group("g")).isNull();
    }

    @Test
    void unsubscribedTopicOffsetsOfAStableGroupExpireFromTheCommit() {
        List<JoinGroupResponseData> m = formGroup(t, "g", 1);
        String id = m.get(0).memberId;
        t.commit("g", id, 1, "t", 0, 1);
        t.commit("g", id, 1, "other", 0, 2);
        for (int i = 0; i < 62 * 6; i++) {
            t.sleep(10_000 - 1);
            assertThat(t.heartbeat("g", id, 1)).isEqualTo(Errors.NONE);
        }
        assertThat(t.committed("g", "t", 0)).isEqualTo(1);
        assertThat(t.committed("g", "other", 0)).isEqualTo(-1);
        assertThat(t.group("g").state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void emptySinceTimestampSurvivesARestart() {
        List<JoinGroupResponseData> m = formGroup(t, "g", 1);
        t.commit("g", m.get(0).memberId, 1, "t", 0, 3);
        t.leave("g", member(m.get(0).memberId, null));
        t.sleep(40 * MINUTE);
        t.restart();
        assertThat(t.group("g").state()).isEqualTo(ClassicGroupState.EMPTY);
        t.sleep(19 * MINUTE);
        assertThat(t.committed("g", "t", 0)).isEqualTo(3);
        t.sleep(2 * MINUTE);
        assertThat(t.committed("g", "t", 0)).isEqualTo(-1);
    }

    @Test
    void explicitRetentionOfOldCommitVersionsIsHonoured() {
        io.tributary.protocol.message.OffsetCommitRequestData req =
                new io.tributary.protocol.message.OffsetCommitRequestData()
                        .setGroupId("s")
                        .setGenerationIdOrMemberEpoch(-1)
                        .setRetentionTimeMs(5 * MINUTE);
        req.topics.add(new io.tributary.protocol.message.OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setName("t")
                .setPartitions(new java.util.ArrayList<>(
                        List.of(new io.tributary.protocol.message.OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(4)))));
        t.coordinator.offsetCommit(GroupCoordinatorTestContext.ctx(2), req).join();
        t.sleep(4 * MINUTE);
        assertThat(t.committed("s", "t", 0)).isEqualTo(4);
        t.sleep(2 * MINUTE);
        assertThat(t.committed("s", "t", 0)).isEqualTo(-1);
    }
}
