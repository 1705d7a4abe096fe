package io.tributary.broker.metadata;

/**
 * What a dynamic config belongs to, in DescribeConfigs' terms: a resource type code (4 = broker, 32 = group) and
 * name ("" for the cluster-wide broker default, a broker id, a group id).
 */
public record ConfigScope(byte resourceType, String resourceName) implements Comparable<ConfigScope> {
    public static final byte BROKER = 4;
    public static final byte GROUP = 32;

    public ConfigScope {
        if (resourceName == null) {
            throw new IllegalArgumentException("resource name must not be null");
        }
    }

    /** The cluster-wide default of every broker ({@code kafka-configs.sh --entity-type brokers --entity-default}). */
    public static ConfigScope brokerDefault() {
        return new ConfigScope(BROKER, "");
    }

    public static ConfigScope broker(int id) {
        return new ConfigScope(BROKER, String.valueOf(id));
    }

    public static ConfigScope group(String groupId) {
        return new ConfigScope(GROUP, groupId);
    }

    @Override
    public int compareTo(ConfigScope o) {
        int c = Byte.compare(resourceType, o.resourceType);
        return c != 0 ? c : resourceName.compareTo(o.resourceName);
    }
}
