package io.tributary.client.common.config;

import java.util.Objects;

/** Kafka's {@code ConfigResource}: what a config describe or alter is about. Immutable. */
public final class ConfigResource {
    /** The resource kinds, with the ids the DescribeConfigs and IncrementalAlterConfigs requests carry. */
    public enum Type {
        BROKER_LOGGER((byte) 8),
        BROKER((byte) 4),
        TOPIC((byte) 2),
        CLIENT_METRICS((byte) 16),
        GROUP((byte) 32),
        UNKNOWN((byte) 0);

        private final byte id;

        Type(byte id) {
            this.id = id;
        }

        public byte id() {
            return id;
        }

        public static Type forId(byte id) {
            for (Type t : values()) {
                if (t.id == id) {
                    return t;
                }
            }
            return UNKNOWN;
        }
    }

    private final Type type;
    private final String name;

    public ConfigResource(Type type, String name) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** True for the cluster-wide broker default (an empty broker name). */
    public boolean isDefault() {
        return name.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigResource r && r.type == type && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigResource(type=" + type + ", name='" + name + "')";
    }
}
