package io.tributary.client.admin;

import java.util.Optional;

/** Kafka's {@code MemberDescription}: one member of a described group. Immutable. */
public class MemberDescription {
    private final String memberId;
    private final Optional<String> groupInstanceId;
    private final String clientId;
    private final String host;
    private final MemberAssignment assignment;
    private final Optional<MemberAssignment> targetAssignment;
    private final Optional<Integer> memberEpoch;
    private final Optional<Boolean> upgraded;

    public MemberDescription(
            String memberId,
            Optional<String> groupInstanceId,
            String clientId,
            String host,
            MemberAssignment assignment,
            Optional<MemberAssignment> targetAssignment,
            Optional<Integer> memberEpoch,
            Optional<Boolean> upgraded) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.host = host;
        this.assignment = assignment;
        this.targetAssignment = targetAssignment;
        this.memberEpoch = memberEpoch;
        this.upgraded = upgraded;
    }

    public String consumerId() {
        return memberId;
    }

    public Optional<String> groupInstanceId() {
        return groupInstanceId;
    }

    public String clientId() {
        return clientId;
    }

    public String host() {
        return host;
    }

    public MemberAssignment assignment() {
        return assignment;
    }

    /** Consumer-protocol (KIP-848) groups only: what the coordinator is moving the member to. */
    public Optional<MemberAssignment> targetAssignment() {
        return targetAssignment;
    }

    /** Consumer-protocol groups only. */
    public Optional<Integer> memberEpoch() {
        return memberEpoch;
    }

    /** Consumer-protocol groups only: whether the member already uses the new protocol. */
    public Optional<Boolean> upgraded() {
        return upgraded;
    }

    @Override
    public String toString() {
        return "(memberId=" + memberId + ", groupInstanceId=" + groupInstanceId.orElse("null") + ", clientId="
                + clientId + ", host=" + host + ", assignment=" + assignment + ")";
    }
}
