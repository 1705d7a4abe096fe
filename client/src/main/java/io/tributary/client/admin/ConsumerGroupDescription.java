package io.tributary.client.admin;

import io.tributary.client.common.GroupState;
import io.tributary.client.common.GroupType;
import io.tributary.client.common.Node;
import java.util.Collection;
import java.util.List;

/** Kafka's {@code ConsumerGroupDescription}: members, assignor, state, type and coordinator of a group. */
public class ConsumerGroupDescription {
    private final String groupId;
    private final boolean isSimpleConsumerGroup;
    private final List<MemberDescription> members;
    private final String partitionAssignor;
    private final GroupType type;
    private final GroupState groupState;
    private final Node coordinator;

    public ConsumerGroupDescription(
            String groupId,
            boolean isSimpleConsumerGroup,
            Collection<MemberDescription> members,
            String partitionAssignor,
            GroupType type,
            GroupState groupState,
            Node coordinator) {
        this.groupId = groupId;
        this.isSimpleConsumerGroup = isSimpleConsumerGroup;
        this.members = List.copyOf(members);
        this.partitionAssignor = partitionAssignor == null ? "" : partitionAssignor;
        this.type = type;
        this.groupState = groupState;
        this.coordinator = coordinator;
    }

    public String groupId() {
        return groupId;
    }

    public boolean isSimpleConsumerGroup() {
        return isSimpleConsumerGroup;
    }

    public Collection<MemberDescription> members() {
        return members;
    }

    /** The classic group's protocol (e.g. "range") or the consumer group's server assignor. */
    public String partitionAssignor() {
        return partitionAssignor;
    }

    public GroupType type() {
        return type;
    }

    public GroupState groupState() {
        return groupState;
    }

    public Node coordinator() {
        return coordinator;
    }

    @Override
    public String toString() {
        return "(groupId=" + groupId + ", isSimpleConsumerGroup=" + isSimpleConsumerGroup + ", members=" + members
                + ", partitionAssignor=" + partitionAssignor + ", type=" + type + ", groupState=" + groupState
                + ", coordinator=" + coordinator + ")";
    }
}
