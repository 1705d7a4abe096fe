package io.tributary.coordinator.consumer;

import io.tributary.coordinator.TopicMetadata;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * ConsumerGroupDescribe (API 69) for one group: its epochs, assignor and members with their
 * current and target assignments, topics named by id and by name. Stateless.
 */
public final class ConsumerGroupDescriber {
    /** KIP-1099's member type: the member speaks the consumer protocol, or the classic one. */
    private static final byte MEMBER_TYPE_CONSUMER = 1;

    private static final byte MEMBER_TYPE_CLASSIC = 0;

    private ConsumerGroupDescriber() {}

    /**
     * @param classicExists whether the id names a classic group instead (Kafka: "not a consumer group")
     */
    public static ConsumerGroupDescribeResponseData.DescribedGroup describe(
            ConsumerGroupStore store, String groupId, boolean classicExists, TopicMetadata topics) {
        ConsumerGroupDescribeResponseData.DescribedGroup d =
                new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return d.setErrorCode(Errors.INVALID_GROUP_ID.code()).setErrorMessage(null);
        }
        ConsumerGroup g = store.get(groupId);
        if (g == null) {
            return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(
                            classicExists
                                    ? "Group " + groupId + " is not a consumer group."
                                    : "Group " + groupId + " not found.");
        }
        d.setGroupState(g.state())
                .setGroupEpoch(g.groupEpoch)
                .setAssignmentEpoch(g.assignmentEpoch)
                .setAssignorName(g.assignorName == null ? "" : g.assignorName);
        for (ConsumerMember m : g.members.values()) {
            d.members.add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId)
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.memberEpoch)
                    .setClientId(m.clientId == null ? "" : m.clientId)
                    .setClientHost(m.clientHost == null ? "" : m.clientHost)
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex)
                    .setAssignment(assignment(m.assigned, topics))
                    .setTargetAssignment(assignment(g.targetOf(m.memberId), topics))
                    .setMemberType(m.usesClassicProtocol() ? MEMBER_TYPE_CLASSIC : MEMBER_TYPE_CONSUMER));
        }
        return d;
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(
            Map<UUID, TreeSet<Integer>> ps, TopicMetadata topics) {
        ConsumerGroupDescribeResponseData.Assignment a = new ConsumerGroupDescribeResponseData.Assignment();
        ps.forEach((id, set) -> {
            TopicMetadata.Topic t = topics.byId(id);
            if (t != null) {
                a.topicPartitions.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(id)
                        .setTopicName(t.name())
                        .setPartitions(new ArrayList<>(set)));
            }
        });
        return a;
    }
}
