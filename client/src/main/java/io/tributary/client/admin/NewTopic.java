package io.tributary.client.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka's {@code NewTopic}: a topic to create, with a partition count and replication factor (each
 * empty for the broker's default) or an explicit replica assignment, plus topic configs.
 */
public class NewTopic {
    private final String name;
    private final Optional<Integer> numPartitions;
    private final Optional<Short> replicationFactor;
    private final Map<Integer, List<Integer>> replicasAssignments;
    private Map<String, String> configs;

    public NewTopic(String name, int numPartitions, short replicationFactor) {
        this(name, Optional.of(numPartitions), Optional.of(replicationFactor));
    }

    /** Empty optionals take the broker's num.partitions / default.replication.factor. */
    public NewTopic(String name, Optional<Integer> numPartitions, Optional<Short> replicationFactor) {
        this.name = name;
        this.numPartitions = numPartitions;
        this.replicationFactor = replicationFactor;
        this.replicasAssignments = null;
    }

    /** Partition id to broker ids, the first being the preferred leader. */
    public NewTopic(String name, Map<Integer, List<Integer>> replicasAssignments) {
        this.name = name;
        this.numPartitions = Optional.empty();
        this.replicationFactor = Optional.empty();
        this.replicasAssignments = Map.copyOf(replicasAssignments);
    }

    public String name() {
        return name;
    }

    /** -1 when the broker default applies or the assignment decides. */
    public int numPartitions() {
        return numPartitions.orElse(-1);
    }

    public short replicationFactor() {
        return replicationFactor.orElse((short) -1);
    }

    public Map<Integer, List<Integer>> replicasAssignments() {
        return replicasAssignments;
    }

    public NewTopic configs(Map<String, String> configs) {
        this.configs = configs == null ? null : new HashMap<>(configs);
        return this;
    }

    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public String toString() {
        return "(name=" + name + ", numPartitions="
                + numPartitions.map(String::valueOf).orElse("default")
                + ", replicationFactor="
                + replicationFactor.map(String::valueOf).orElse("default")
                + ", replicasAssignments=" + replicasAssignments + ", configs=" + configs + ")";
    }
}
