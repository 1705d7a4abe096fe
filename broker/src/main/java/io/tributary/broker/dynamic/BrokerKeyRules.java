package io.tributary.broker.dynamic;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.storage.LogConfig;
import io.tributary.storage.StorageException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which broker keys may change at run time and how their values are checked. Tributary accepts the keys Kafka 4 lets
 * change dynamically that it applies live: the log keys that set topic defaults (the finest of each synonym family,
 * as Kafka: {@code log.retention.ms}, not {@code log.retention.hours}) and the cleaner's. Kafka answers a broker
 * resource's bad value with INVALID_REQUEST (a topic's with INVALID_CONFIG); so do we. Stateless.
 */
public final class BrokerKeyRules {
    private static final long MIN_DEDUPE_BYTES_PER_THREAD = 1024 * 1024;
    private static final Set<String> HONOURED = honoured();

    private BrokerKeyRules() {}

    private static Set<String> honoured() {
        Set<String> out = new TreeSet<>();
        for (LogConfig.BrokerKey k : LogConfig.brokerKeys()) {
            // producer.id.expiration.ms is dynamic in Kafka, but our logs read it only when they open.
            if (k.dynamic() && !k.name().equals(LogConfig.PRODUCER_ID_EXPIRATION_MS)) {
                out.add(k.name());
            }
        }
        return Set.copyOf(out);
    }

    /** Whether Tributary applies a change of this broker key without a restart. */
    public static boolean dynamic(String key) {
        return HONOURED.contains(key);
    }

    /** Keys whose value is a comma-separated list, the only ones APPEND and SUBTRACT apply to. */
    public static boolean isList(String key) {
        BrokerConfig.Key k = BrokerConfig.keys().get(key);
        return key.equals(LogConfig.LOG_CLEANUP_POLICY) || (k != null && k.type() == BrokerConfig.Type.LIST);
    }

    /**
     * Checks a new set of dynamic configs of one broker scope against the current one: only the keys it adds or
     * changes are checked one by one (Kafka's messages), then the effective properties as a whole.
     *
     * @param effective the static properties with every dynamic layer after the change over them
     * @return null when valid, else the error naming the key
     */
    public static TopicResult validate(
            Map<String, String> current, Map<String, String> next, Map<String, String> effective) {
        Set<String> readOnly = new TreeSet<>();
        for (Map.Entry<String, String> e : next.entrySet()) {
            if (Objects.equals(current.get(e.getKey()), e.getValue())) {
                continue;
            }
            String key = e.getKey();
            if (!BrokerConfig.keys().containsKey(key)) {
                return TopicResult.of(Errors.INVALID_CONFIG, "Unknown broker config name: " + key);
            }
            if (!dynamic(key)) {
                readOnly.add(key);
            }
        }
        if (!readOnly.isEmpty()) {
            return TopicResult.of(Errors.INVALID_REQUEST, "Cannot update these configs dynamically: " + readOnly);
        }
        try {
            for (Map.Entry<String, String> e : next.entrySet()) {
                if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
                    LogConfig.validateBrokerValue(e.getKey(), e.getValue());
                }
            }
            LogConfig.create(effective, Map.of());
        } catch (StorageException e) {
            return TopicResult.of(Errors.INVALID_REQUEST, e.getMessage());
        }
        long dedupe = Long.parseLong(value(effective, LogConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE));
        int threads = Integer.parseInt(value(effective, LogConfig.LOG_CLEANER_THREADS));
        if (threads > 0 && dedupe / threads < MIN_DEDUPE_BYTES_PER_THREAD) {
            return TopicResult.of(
                    Errors.INVALID_REQUEST,
                    "requirement failed: " + LogConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE
                            + " must be at least 1MB per cleaner thread.");
        }
        return null;
    }

    private static String value(Map<String, String> effective, String key) {
        String v = effective.get(key);
        return (v != null ? v : BrokerConfig.keys().get(key).defaultValue()).trim();
    }
}
