package io.tributary.bench;

import io.tributary.reference.ApacheKafkaNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Apache Kafka 4.3.1 in this JVM for a side-by-side run: the reference-kafka module's
 * {@link ApacheKafkaNode} (the same node the interop tests compare against), with Apache's
 * defaults apart from what a single node needs, plus the benchmark's overrides.
 *
 * <p>Owned by the benchmark main thread; Kafka's own threads run inside.
 */
final class ApacheBroker implements BrokerUnderTest {
    private final ApacheKafkaNode node;

    private ApacheBroker(ApacheKafkaNode node) {
        this.node = node;
    }

    static ApacheBroker start(Map<String, String> overrides) {
        return new ApacheBroker(ApacheKafkaNode.start(overrides));
    }

    @Override
    public String name() {
        return "apache";
    }

    @Override
    public String bootstrapServers() {
        return node.bootstrapServers();
    }

    @Override
    public String describeSettings() {
        return "Apache Kafka 4.3.1 KRaft combined node, metadata.version=" + ApacheKafkaNode.METADATA_VERSION
                + ", log.flush.interval.messages=" + node.effectiveConfig("log.flush.interval.messages")
                + ", group.initial.rebalance.delay.ms=" + node.effectiveConfig("group.initial.rebalance.delay.ms")
                + ", num.io.threads=" + node.effectiveConfig("num.io.threads")
                + ", num.network.threads=" + node.effectiveConfig("num.network.threads")
                + (overridesOnly().isEmpty() ? "" : ", overrides=" + overridesOnly());
    }

    private Map<String, String> overridesOnly() {
        Map<String, String> out = new LinkedHashMap<>(node.settings());
        out.keySet().removeIf(k -> node.settings().get(k).equals(ApacheKafkaNode.SINGLE_NODE_SETTINGS.get(k)));
        return out;
    }

    @Override
    public void close() {
        try {
            node.close();
        } catch (RuntimeException e) {
            System.err.println("apache: did not shut down cleanly: " + e);
        }
    }
}
