package io.tributary.client.consumer.assignor;

import java.util.Optional;

/**
 * The member order Kafka's assignors use: static members (by instance id) before dynamic ones
 * (by member id), so a restarted static member lands in the same slot. Immutable.
 */
record MemberInfo(String memberId, Optional<String> groupInstanceId) implements Comparable<MemberInfo> {
    @Override
    public int compareTo(MemberInfo o) {
        if (groupInstanceId.isPresent() && o.groupInstanceId.isPresent()) {
            return groupInstanceId.get().compareTo(o.groupInstanceId.get());
        } else if (groupInstanceId.isPresent()) {
            return -1;
        } else if (o.groupInstanceId.isPresent()) {
            return 1;
        }
        return memberId.compareTo(o.memberId);
    }
}
