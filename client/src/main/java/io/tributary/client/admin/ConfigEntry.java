package io.tributary.client.admin;

import java.util.List;
import java.util.Objects;

/** Kafka's {@code ConfigEntry}: a config's value, where it comes from, and (on request) its synonyms. */
public class ConfigEntry {
    /** Where a value comes from, with the ids DescribeConfigs uses. */
    public enum ConfigSource {
        DYNAMIC_TOPIC_CONFIG,
        DYNAMIC_BROKER_LOGGER_CONFIG,
        DYNAMIC_BROKER_CONFIG,
        DYNAMIC_DEFAULT_BROKER_CONFIG,
        DYNAMIC_CLIENT_METRICS_CONFIG,
        DYNAMIC_GROUP_CONFIG,
        STATIC_BROKER_CONFIG,
        DEFAULT_CONFIG,
        UNKNOWN;

        /** From the wire id (1 = topic, 2 = broker, 3 = default broker, 4 = static, 5 = default, 6 = logger ...). */
        public static ConfigSource forId(byte id) {
            return switch (id) {
                case 1 -> DYNAMIC_TOPIC_CONFIG;
                case 2 -> DYNAMIC_BROKER_CONFIG;
                case 3 -> DYNAMIC_DEFAULT_BROKER_CONFIG;
                case 4 -> STATIC_BROKER_CONFIG;
                case 5 -> DEFAULT_CONFIG;
                case 6 -> DYNAMIC_BROKER_LOGGER_CONFIG;
                case 7 -> DYNAMIC_CLIENT_METRICS_CONFIG;
                case 8 -> DYNAMIC_GROUP_CONFIG;
                default -> UNKNOWN;
            };
        }
    }

    /** The value type DescribeConfigs v3+ reports. */
    public enum ConfigType {
        UNKNOWN,
        BOOLEAN,
        STRING,
        INT,
        SHORT,
        LONG,
        DOUBLE,
        LIST,
        CLASS,
        PASSWORD;

        public static ConfigType forId(byte id) {
            return id >= 0 && id < values().length ? values()[id] : UNKNOWN;
        }
    }

    /** A value this entry overrides or is overridden by. */
    public static class ConfigSynonym {
        private final String name;
        private final String value;
        private final ConfigSource source;

        public ConfigSynonym(String name, String value, ConfigSource source) {
            this.name = name;
            this.value = value;
            this.source = source;
        }

        public String name() {
            return name;
        }

        public String value() {
            return value;
        }

        public ConfigSource source() {
            return source;
        }

        @Override
        public String toString() {
            return "ConfigSynonym(name=" + name + ", value=" + value + ", source=" + source + ")";
        }
    }

    private final String name;
    private final String value;
    private final ConfigSource source;
    private final boolean isSensitive;
    private final boolean isReadOnly;
    private final List<ConfigSynonym> synonyms;
    private final ConfigType type;
    private final String documentation;

    /** An entry to pass to {@link AlterConfigOp}. */
    public ConfigEntry(String name, String value) {
        this(name, value, ConfigSource.UNKNOWN, false, false, List.of(), ConfigType.UNKNOWN, null);
    }

    public ConfigEntry(
            String name,
            String value,
            ConfigSource source,
            boolean isSensitive,
            boolean isReadOnly,
            List<ConfigSynonym> synonyms,
            ConfigType type,
            String documentation) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.source = source;
        this.isSensitive = isSensitive;
        this.isReadOnly = isReadOnly;
        this.synonyms = List.copyOf(synonyms);
        this.type = type;
        this.documentation = documentation;
    }

    public String name() {
        return name;
    }

    /** Null for a sensitive value. */
    public String value() {
        return value;
    }

    public ConfigSource source() {
        return source;
    }

    public boolean isDefault() {
        return source == ConfigSource.DEFAULT_CONFIG;
    }

    public boolean isSensitive() {
        return isSensitive;
    }

    public boolean isReadOnly() {
        return isReadOnly;
    }

    public List<ConfigSynonym> synonyms() {
        return synonyms;
    }

    public ConfigType type() {
        return type;
    }

    public String documentation() {
        return documentation;
    }

    @Override
    public String toString() {
        return "ConfigEntry(name=" + name + ", value=" + value + ", source=" + source + ", isSensitive=" + isSensitive
                + ", isReadOnly=" + isReadOnly + ", synonyms=" + synonyms + ", type=" + type + ")";
    }
}
