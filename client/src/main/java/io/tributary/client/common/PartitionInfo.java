package io.tributary.client.common;

import java.util.List;

/** A partition as metadata describes it (leader may be null when leaderless). Immutable. */
public record PartitionInfo(
        String topic,
        int partition,
        Node leader,
        List<Node> replicas,
        List<Node> inSyncReplicas,
        List<Node> offlineReplicas) {}
