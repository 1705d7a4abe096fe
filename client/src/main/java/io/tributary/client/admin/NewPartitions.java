package io.tributary.client.admin;

import java.util.List;

/** Kafka's {@code NewPartitions}: grow a topic to a total partition count, optionally placing the new ones. */
public class NewPartitions {
    private final int totalCount;
    private final List<List<Integer>> newAssignments;

    private NewPartitions(int totalCount, List<List<Integer>> newAssignments) {
        this.totalCount = totalCount;
        this.newAssignments = newAssignments;
    }

    public static NewPartitions increaseTo(int totalCount) {
        return new NewPartitions(totalCount, null);
    }

    /** One broker-id list per new partition, the first id being its preferred leader. */
    public static NewPartitions increaseTo(int totalCount, List<List<Integer>> newAssignments) {
        return new NewPartitions(totalCount, List.copyOf(newAssignments));
    }

    public int totalCount() {
        return totalCount;
    }

    public List<List<Integer>> assignments() {
        return newAssignments;
    }

    @Override
    public String toString() {
        return "(totalCount=" + totalCount + ", newAssignments=" + newAssignments + ")";
    }
}
