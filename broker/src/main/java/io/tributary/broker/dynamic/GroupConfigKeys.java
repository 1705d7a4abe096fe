package io.tributary.broker.dynamic;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The per-group configs Kafka 4.3 defines (ConfigResource type GROUP), with their types, smallest values, the broker
 * keys that give their defaults and the broker keys that bound them, so that {@code kafka-configs.sh --entity-type
 * groups} is validated as Kafka validates it. Tributary's coordinator serves classic groups only: every one of these
 * keys is for the consumer (KIP-848), share (KIP-932) or streams (KIP-1071) group protocols, so they are stored,
 * validated and described but not acted on yet. Static tables; any thread.
 */
public final class GroupConfigKeys {
    /** How a value is parsed. */
    public enum Kind {
        INT,
        BOOLEAN,
        STRING
    }

    /**
     * One group config: its default comes from broker key {@code brokerKey}; a number must be at least {@code min},
     * at least the broker's {@code minKey} and at most its {@code maxKey} (null: no such bound).
     */
    public record Key(String name, Kind kind, String brokerKey, long min, String minKey, String maxKey, String doc) {}

    private static final Map<String, Key> KEYS = new TreeMap<>();
    /** The broker keys the group keys read: name to (default, Kafka lets it change at run time). */
    private static final Map<String, String> BROKER_DEFAULTS = new LinkedHashMap<>();

    private static final Set<String> ISOLATION_LEVELS = Set.of("read_committed", "read_uncommitted");
    private static final Pattern BY_DURATION = Pattern.compile("by_duration:P.+");

    static {
        bounded("consumer", "session.timeout.ms", "45000", "45000", "60000", "client failure detection timeout");
        bounded("consumer", "heartbeat.interval.ms", "5000", "5000", "15000", "heartbeat interval given to members");
        interval("consumer");
        bounded("share", "session.timeout.ms", "45000", "45000", "60000", "client failure detection timeout");
        bounded("share", "heartbeat.interval.ms", "5000", "5000", "15000", "heartbeat interval given to members");
        interval("share");
        add(new Key(
                "share.record.lock.duration.ms",
                Kind.INT,
                "group.share.record.lock.duration.ms",
                1000,
                null,
                "group.share.max.record.lock.duration.ms",
                "How long a share group member holds a record it acquired, in milliseconds."));
        brokerDefault("group.share.record.lock.duration.ms", "30000");
        brokerDefault("group.share.min.record.lock.duration.ms", "15000");
        brokerDefault("group.share.max.record.lock.duration.ms", "60000");
        add(new Key(
                "share.delivery.count.limit",
                Kind.INT,
                "group.share.delivery.count.limit",
                2,
                null,
                "group.share.max.delivery.count.limit",
                "How many times a record is delivered to a share group before it is archived."));
        brokerDefault("group.share.delivery.count.limit", "5");
        brokerDefault("group.share.min.delivery.count.limit", "2");
        brokerDefault("group.share.max.delivery.count.limit", "10");
        add(new Key(
                "share.partition.max.record.locks",
                Kind.INT,
                "group.share.partition.max.record.locks",
                100,
                null,
                "group.share.max.partition.max.record.locks",
                "How many records of one share-partition may be acquired at once."));
        brokerDefault("group.share.partition.max.record.locks", "2000");
        brokerDefault("group.share.min.partition.max.record.locks", "100");
        brokerDefault("group.share.max.partition.max.record.locks", "4000");
        add(
                new Key(
                        "share.auto.offset.reset",
                        Kind.STRING,
                        "share.auto.offset.reset",
                        0,
                        null,
                        null,
                        "Where a share group starts reading a partition: earliest, latest or by_duration:<ISO 8601 duration>."));
        brokerDefault("share.auto.offset.reset", "latest");
        add(new Key(
                "share.isolation.level",
                Kind.STRING,
                "share.isolation.level",
                0,
                null,
                null,
                "Whether a share group reads transactional records before they commit (read_uncommitted) or not."));
        brokerDefault("share.isolation.level", "read_uncommitted");
        add(new Key(
                "share.renew.acknowledge.enable",
                Kind.BOOLEAN,
                "share.renew.acknowledge.enable",
                0,
                null,
                null,
                "Whether share group members may renew the acquisition lock of a record."));
        brokerDefault("share.renew.acknowledge.enable", "true");
        bounded("streams", "session.timeout.ms", "45000", "45000", "60000", "client failure detection timeout");
        bounded("streams", "heartbeat.interval.ms", "5000", "5000", "15000", "heartbeat interval given to members");
        interval("streams");
        add(new Key(
                "streams.initial.rebalance.delay.ms",
                Kind.INT,
                "group.streams.initial.rebalance.delay.ms",
                0,
                null,
                null,
                "How long a new streams group waits for more members before its first assignment."));
        brokerDefault("group.streams.initial.rebalance.delay.ms", "3000");
        add(new Key(
                "streams.num.standby.replicas",
                Kind.INT,
                "group.streams.num.standby.replicas",
                0,
                null,
                "group.streams.max.standby.replicas",
                "How many standby replicas of each task a streams group keeps."));
        brokerDefault("group.streams.num.standby.replicas", "0");
        brokerDefault("group.streams.max.standby.replicas", "2");
    }

    private GroupConfigKeys() {}

    private static void bounded(String protocol, String suffix, String dflt, String min, String max, String what) {
        String broker = "group." + protocol + ".";
        String minKey = broker + "min." + suffix;
        String maxKey = broker + "max." + suffix;
        add(new Key(
                protocol + "." + suffix,
                Kind.INT,
                broker + suffix,
                1,
                minKey,
                maxKey,
                "The " + what + " of a " + protocol + " group, in milliseconds."));
        brokerDefault(broker + suffix, dflt);
        brokerDefault(minKey, min);
        brokerDefault(maxKey, max);
    }

    private static void interval(String protocol) {
        String broker = "group." + protocol + ".";
        add(new Key(
                protocol + ".assignment.interval.ms",
                Kind.INT,
                broker + "assignment.interval.ms",
                0,
                null,
                broker + "max.assignment.interval.ms",
                "The least time between two assignment updates of a " + protocol + " group, in milliseconds."));
        brokerDefault(broker + "assignment.interval.ms", "1000");
        brokerDefault(broker + "min.assignment.interval.ms", "0");
        brokerDefault(broker + "max.assignment.interval.ms", "15000");
    }

    private static void add(Key k) {
        KEYS.put(k.name(), k);
    }

    private static void brokerDefault(String name, String value) {
        BROKER_DEFAULTS.put(name, value);
    }

    /** Every group config, by name (sorted). */
    public static Map<String, Key> keys() {
        return java.util.Collections.unmodifiableMap(KEYS);
    }

    /**
     * The broker keys ({@code group.*}, all INT) the group configs take defaults and bounds from, with Kafka's
     * defaults; the three share keys without a {@code group.} broker key map to their own default instead.
     */
    public static Map<String, String> brokerDefaults() {
        return java.util.Collections.unmodifiableMap(BROKER_DEFAULTS);
    }

    /** Whether the broker key is a real broker config (else the group key's own default stands in for it). */
    public static boolean isBrokerKey(String name) {
        return name.startsWith("group.");
    }

    /** Kafka lets these broker keys change at run time (Tributary does not: it does not run those protocols). */
    public static boolean kafkaDynamic(String brokerKey) {
        return brokerKey.endsWith(".assignment.interval.ms")
                && !brokerKey.contains(".min.")
                && !brokerKey.contains(".max.");
    }

    /**
     * Checks a group's full new set of configs as Kafka does: unknown names, types, smallest values, and the broker's
     * min/max bounds; null when valid, else INVALID_CONFIG naming the key.
     */
    public static TopicResult validate(Map<String, String> configs, BrokerConfig broker) {
        for (Map.Entry<String, String> e : configs.entrySet()) {
            Key k = KEYS.get(e.getKey());
            if (k == null) {
                return invalid("Unknown group config name: " + e.getKey());
            }
            String raw = e.getValue();
            String v = raw == null ? "" : raw.trim();
            String prefix = "Invalid value " + raw + " for configuration " + k.name() + ": ";
            switch (k.kind()) {
                case BOOLEAN -> {
                    String b = v.toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        return invalid(prefix + "Expected value to be either true or false");
                    }
                }
                case STRING -> {
                    if (k.name().equals("share.isolation.level") && !ISOLATION_LEVELS.contains(v)) {
                        return invalid(prefix + "String must be one of: read_committed, read_uncommitted");
                    }
                    if (k.name().equals("share.auto.offset.reset") && !validReset(v)) {
                        return invalid(prefix + "Invalid value `" + raw + "` for configuration " + k.name()
                                + ". The value must be either 'earliest', 'latest' or of the format"
                                + " 'by_duration:<PnDTnHnMn.nS>'.");
                    }
                }
                case INT -> {
                    int n;
                    try {
                        n = Integer.parseInt(v);
                    } catch (NumberFormatException ex) {
                        return invalid(prefix + "Not a number of type INT");
                    }
                    if (n < k.min()) {
                        return invalid(prefix + "Value must be at least " + k.min());
                    }
                    if (k.minKey() != null && n < brokerInt(broker, k.minKey())) {
                        return invalid(k.name() + " must be greater than or equal to " + k.minKey());
                    }
                    if (k.maxKey() != null && n > brokerInt(broker, k.maxKey())) {
                        return invalid(k.name() + " must be less than or equal to " + k.maxKey());
                    }
                }
                default -> throw new IllegalStateException("unknown kind " + k.kind());
            }
        }
        return null;
    }

    private static boolean validReset(String v) {
        if (v.equals("earliest") || v.equals("latest")) {
            return true;
        }
        if (!BY_DURATION.matcher(v).matches()) {
            return false;
        }
        try {
            return !java.time.Duration.parse(v.substring("by_duration:".length()))
                    .isNegative();
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static int brokerInt(BrokerConfig broker, String key) {
        return broker.getInt(key);
    }

    private static TopicResult invalid(String message) {
        return TopicResult.of(Errors.INVALID_CONFIG, message);
    }

    /** The names in a stable order, for describing every key. */
    public static List<String> names() {
        return List.copyOf(KEYS.keySet());
    }
}
