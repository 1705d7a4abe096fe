package io.tributary.broker.handler;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How DescribeConfigs reports one value, shared by the per-resource describers: the config source codes, the value
 * types, and Kafka's synonym lists of broker keys (each synonym family's keys as set in the dynamic per-broker layer,
 * then the dynamic default, the static file and the defaults, dropping those before the key itself). Stateless.
 */
final class ConfigEntries {
    static final byte SOURCE_DYNAMIC_TOPIC = 1;
    static final byte SOURCE_DYNAMIC_BROKER = 2;
    static final byte SOURCE_DYNAMIC_DEFAULT_BROKER = 3;
    static final byte SOURCE_STATIC_BROKER = 4;
    static final byte SOURCE_DEFAULT = 5;
    static final byte SOURCE_GROUP = 8;

    // DescribeConfigs v3 config types.
    static final byte TYPE_BOOLEAN = 1;
    static final byte TYPE_STRING = 2;
    static final byte TYPE_INT = 3;
    static final byte TYPE_SHORT = 4;
    static final byte TYPE_LONG = 5;
    static final byte TYPE_DOUBLE = 6;
    static final byte TYPE_LIST = 7;
    static final byte TYPE_PASSWORD = 9;

    /** Keys whose Kafka type differs from the type Tributary parses them with. */
    private static final Map<String, Byte> KAFKA_TYPES = Map.of(
            LogConfig.CLEANUP_POLICY,
            TYPE_LIST,
            LogConfig.LOG_CLEANUP_POLICY,
            TYPE_LIST,
            "leader.replication.throttled.replicas",
            TYPE_LIST,
            "follower.replication.throttled.replicas",
            TYPE_LIST,
            LogConfig.LOG_RETENTION_HOURS,
            TYPE_INT,
            LogConfig.LOG_RETENTION_MINUTES,
            TYPE_INT,
            LogConfig.LOG_ROLL_HOURS,
            TYPE_INT,
            LogConfig.LOG_ROLL_JITTER_HOURS,
            TYPE_INT);

    /** The broker-level layers a value can come from, most specific first. */
    record Layers(Map<String, String> own, Map<String, String> dynamicDefault, Map<String, String> statics) {
        /**
         * Kafka's synonyms of {@code name} within its {@code family} (finest key first), layer by layer, without
         * those listed before {@code name} itself: a topic's retention.ms with nothing set at any level has none,
         * because log.retention.hours' default comes after log.retention.ms would have.
         */
        List<DescribeConfigsSynonym> synonyms(String name, List<String> family, boolean sensitive) {
            List<DescribeConfigsSynonym> out = new ArrayList<>();
            add(out, family, own, SOURCE_DYNAMIC_BROKER, sensitive);
            add(out, family, dynamicDefault, SOURCE_DYNAMIC_DEFAULT_BROKER, sensitive);
            add(out, family, statics, SOURCE_STATIC_BROKER, sensitive);
            for (String key : family) {
                BrokerConfig.Key k = BrokerConfig.keys().get(key);
                if (k != null && k.defaultValue() != null) {
                    out.add(synonym(key, sensitive ? null : k.defaultValue(), SOURCE_DEFAULT));
                }
            }
            int first = 0;
            while (first < out.size() && !out.get(first).name.equals(name)) {
                first++;
            }
            return new ArrayList<>(out.subList(first, out.size()));
        }

        private static void add(
                List<DescribeConfigsSynonym> out,
                List<String> family,
                Map<String, String> layer,
                byte source,
                boolean sensitive) {
            for (String key : family) {
                String v = layer.get(key);
                if (v != null) {
                    out.add(synonym(key, sensitive ? null : v, source));
                }
            }
        }
    }

    private ConfigEntries() {}

    static DescribeConfigsSynonym synonym(String name, String value, byte source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source);
    }

    /** The source of a value: its first synonym's, or the default when it has none (Kafka's rule). */
    static byte sourceOf(List<DescribeConfigsSynonym> synonyms) {
        return synonyms.isEmpty() ? SOURCE_DEFAULT : synonyms.get(0).source;
    }

    static DescribeConfigsResourceResult entry(
            String name,
            String value,
            boolean readOnly,
            boolean sensitive,
            byte type,
            List<DescribeConfigsSynonym> synonyms,
            boolean includeSynonyms,
            String documentation,
            boolean includeDocumentation) {
        return new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(sensitive ? null : value)
                .setReadOnly(readOnly)
                .setConfigSource(sourceOf(synonyms))
                .setIsSensitive(sensitive)
                .setSynonyms(includeSynonyms ? synonyms : new ArrayList<>())
                .setConfigType(type)
                .setDocumentation(includeDocumentation ? documentation : null);
    }

    /** Kafka's type of a broker key. */
    static byte brokerType(String key) {
        Byte t = KAFKA_TYPES.get(key);
        if (t != null) {
            return t;
        }
        BrokerConfig.Key k = BrokerConfig.keys().get(key);
        if (k == null) {
            return TYPE_STRING;
        }
        return switch (k.type()) {
            case BOOLEAN -> TYPE_BOOLEAN;
            case STRING -> TYPE_STRING;
            case INT -> TYPE_INT;
            case SHORT -> TYPE_SHORT;
            case LONG -> TYPE_LONG;
            case DOUBLE -> TYPE_DOUBLE;
            case LIST -> TYPE_LIST;
            case PASSWORD -> TYPE_PASSWORD;
        };
    }

    /** Kafka's type of a topic config. */
    static byte topicType(String key) {
        Byte t = KAFKA_TYPES.get(key);
        if (t != null) {
            return t;
        }
        LogConfig.Type type = LogConfig.type(key);
        return switch (type == null ? LogConfig.Type.STRING : type) {
            case INT -> TYPE_INT;
            case LONG -> TYPE_LONG;
            case BOOLEAN -> TYPE_BOOLEAN;
            case DOUBLE -> TYPE_DOUBLE;
            case STRING -> TYPE_STRING;
        };
    }

    /** Whether the request lists keys and this is not one of them. */
    static boolean skipped(List<String> requested, String name) {
        return requested != null && !requested.isEmpty() && !requested.contains(name);
    }
}
