package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.Node;
import java.util.Collection;

/** The result of describeCluster (Kafka's class of the same name). */
public class DescribeClusterResult {
    private final KafkaFuture<Collection<Node>> nodes;
    private final KafkaFuture<Node> controller;
    private final KafkaFuture<String> clusterId;

    public DescribeClusterResult(
            KafkaFuture<Collection<Node>> nodes, KafkaFuture<Node> controller, KafkaFuture<String> clusterId) {
        this.nodes = nodes;
        this.controller = controller;
        this.clusterId = clusterId;
    }

    public KafkaFuture<Collection<Node>> nodes() {
        return nodes;
    }

    /** The active controller, or null when none is reported (KRaft brokers report a broker id, as Kafka's). */
    public KafkaFuture<Node> controller() {
        return controller;
    }

    public KafkaFuture<String> clusterId() {
        return clusterId;
    }
}
