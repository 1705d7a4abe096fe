package io.tributary.client.admin;

import io.tributary.client.common.GroupState;
import io.tributary.client.common.GroupType;
import java.util.Optional;

/** Kafka's {@code ConsumerGroupListing}: a group's id, state and type as ListGroups reports them. Immutable. */
public class ConsumerGroupListing {
    private final String groupId;
    private final boolean isSimpleConsumerGroup;
    private final Optional<GroupState> groupState;
    private final Optional<GroupType> type;

    public ConsumerGroupListing(
            String groupId, Optional<GroupState> groupState, Optional<GroupType> type, boolean isSimpleConsumerGroup) {
        this.groupId = groupId;
        this.groupState = groupState;
        this.type = type;
        this.isSimpleConsumerGroup = isSimpleConsumerGroup;
    }

    public String groupId() {
        return groupId;
    }

    /** True for a group that only commits offsets (no protocol type), e.g. one used with assign(). */
    public boolean isSimpleConsumerGroup() {
        return isSimpleConsumerGroup;
    }

    public Optional<GroupState> groupState() {
        return groupState;
    }

    public Optional<GroupType> type() {
        return type;
    }

    @Override
    public String toString() {
        return "(groupId='" + groupId + "', isSimpleConsumerGroup=" + isSimpleConsumerGroup + ", groupState="
                + groupState + ", type=" + type + ")";
    }
}
