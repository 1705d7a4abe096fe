package io.tributary.coordinator;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The broker settings the group coordinator obeys, with Apache Kafka's keys and defaults.
 * Immutable; build with {@link #defaults()} and the withers, or {@link #fromProperties(Map)}.
 */
public record GroupCoordinatorConfig(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxGroupSize,
        int newMemberJoinTimeoutMs,
        long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs,
        int offsetMetadataMaxBytes,
        int snapshotMinRecords,
        int consumerSessionTimeoutMs,
        int consumerHeartbeatIntervalMs,
        int consumerMaxSize,
        java.util.List<String> consumerAssignors,
        String consumerMigrationPolicy) {

    public GroupCoordinatorConfig {
        if (!MIGRATION_POLICIES.contains(consumerMigrationPolicy)) {
            throw new IllegalArgumentException(GROUP_CONSUMER_MIGRATION_POLICY + " must be one of " + MIGRATION_POLICIES
                    + ", not " + consumerMigrationPolicy);
        }
    }

    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    /** Our own: the fewest records appended since the last snapshot that may trigger a new one. */
    public static final String COORDINATOR_SNAPSHOT_MIN_RECORDS = "group.coordinator.snapshot.min.records";

    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    /** The server-side assignors (KIP-848), the first being the default; ours are "uniform" and "range". */
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    /**
     * KIP-848 online migration between the classic and consumer protocols: bidirectional (the
     * default), upgrade, downgrade or disabled, as Kafka's key (case-insensitive).
     */
    public static final String GROUP_CONSUMER_MIGRATION_POLICY = "group.consumer.migration.policy";

    public static final java.util.List<String> MIGRATION_POLICIES =
            java.util.List.of("bidirectional", "upgrade", "downgrade", "disabled");

    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(
                6_000,
                1_800_000,
                3_000,
                Integer.MAX_VALUE,
                300_000,
                7L * 24 * 60 * 60 * 1000,
                600_000,
                4096,
                10_000,
                45_000,
                5_000,
                Integer.MAX_VALUE,
                java.util.List.of("uniform", "range"),
                "bidirectional");
    }

    /** Whether a classic group with members may become a consumer group (a member joins with the new protocol). */
    public boolean migrationUpgradeEnabled() {
        return consumerMigrationPolicy.equals("bidirectional") || consumerMigrationPolicy.equals("upgrade");
    }

    /** Whether a consumer group whose last new-protocol member leaves goes back to classic. */
    public boolean migrationDowngradeEnabled() {
        return consumerMigrationPolicy.equals("bidirectional") || consumerMigrationPolicy.equals("downgrade");
    }

    /** Reads the keys above from broker properties; absent keys keep Kafka's defaults. */
    public static GroupCoordinatorConfig fromProperties(Map<String, String> props) {
        return defaults().with(b -> {
            b.minSessionTimeoutMs = intProp(props, GROUP_MIN_SESSION_TIMEOUT_MS, b.minSessionTimeoutMs);
            b.maxSessionTimeoutMs = intProp(props, GROUP_MAX_SESSION_TIMEOUT_MS, b.maxSessionTimeoutMs);
            b.initialRebalanceDelayMs = intProp(props, GROUP_INITIAL_REBALANCE_DELAY_MS, b.initialRebalanceDelayMs);
            b.maxGroupSize = intProp(props, GROUP_MAX_SIZE, b.maxGroupSize);
            if (props.containsKey(OFFSETS_RETENTION_MINUTES)) {
                b.offsetsRetentionMs =
                        Long.parseLong(props.get(OFFSETS_RETENTION_MINUTES).trim()) * 60_000L;
            }
            if (props.containsKey(OFFSETS_RETENTION_CHECK_INTERVAL_MS)) {
                b.offsetsRetentionCheckIntervalMs = Long.parseLong(
                        props.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS).trim());
            }
            b.offsetMetadataMaxBytes = intProp(props, OFFSET_METADATA_MAX_BYTES, b.offsetMetadataMaxBytes);
            b.snapshotMinRecords = intProp(props, COORDINATOR_SNAPSHOT_MIN_RECORDS, b.snapshotMinRecords);
            b.consumerSessionTimeoutMs = intProp(props, GROUP_CONSUMER_SESSION_TIMEOUT_MS, b.consumerSessionTimeoutMs);
            b.consumerHeartbeatIntervalMs =
                    intProp(props, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, b.consumerHeartbeatIntervalMs);
            b.consumerMaxSize = intProp(props, GROUP_CONSUMER_MAX_SIZE, b.consumerMaxSize);
            String assignors = props.get(GROUP_CONSUMER_ASSIGNORS);
            if (assignors != null && !assignors.isBlank()) {
                java.util.List<String> names = new java.util.ArrayList<>();
                for (String a : assignors.split(",")) {
                    // Kafka also accepts class names; the simple name's prefix is ours.
                    String n = a.trim();
                    if (n.endsWith("UniformAssignor")) {
                        n = "uniform";
                    } else if (n.endsWith("RangeAssignor")) {
                        n = "range";
                    }
                    if (!n.isEmpty()) {
                        names.add(n);
                    }
                }
                b.consumerAssignors = java.util.List.copyOf(names);
            }
            String policy = props.get(GROUP_CONSUMER_MIGRATION_POLICY);
            if (policy != null) {
                b.consumerMigrationPolicy = policy.trim().toLowerCase(java.util.Locale.ROOT);
            }
        });
    }

    private static int intProp(Map<String, String> props, String key, int dflt) {
        String v = props.get(key);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    public GroupCoordinatorConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return with(b -> {
            b.minSessionTimeoutMs = minMs;
            b.maxSessionTimeoutMs = maxMs;
        });
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(int ms) {
        return with(b -> b.initialRebalanceDelayMs = ms);
    }

    public GroupCoordinatorConfig withMaxGroupSize(int n) {
        return with(b -> b.maxGroupSize = n);
    }

    public GroupCoordinatorConfig withOffsetsRetention(long retentionMs, long checkIntervalMs) {
        return with(b -> {
            b.offsetsRetentionMs = retentionMs;
            b.offsetsRetentionCheckIntervalMs = checkIntervalMs;
        });
    }

    public GroupCoordinatorConfig withOffsetMetadataMaxBytes(int n) {
        return with(b -> b.offsetMetadataMaxBytes = n);
    }

    public GroupCoordinatorConfig withConsumerTimeouts(int sessionTimeoutMs, int heartbeatIntervalMs) {
        return with(b -> {
            b.consumerSessionTimeoutMs = sessionTimeoutMs;
            b.consumerHeartbeatIntervalMs = heartbeatIntervalMs;
        });
    }

    public GroupCoordinatorConfig withConsumerMaxSize(int n) {
        return with(b -> b.consumerMaxSize = n);
    }

    public GroupCoordinatorConfig withMigrationPolicy(String policy) {
        return with(b -> b.consumerMigrationPolicy = policy.toLowerCase(java.util.Locale.ROOT));
    }

    public GroupCoordinatorConfig withSnapshotMinRecords(int n) {
        return with(b -> b.snapshotMinRecords = n);
    }

    /** A copy with some settings changed: every wither and {@link #fromProperties} go through here. */
    private GroupCoordinatorConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** A mutable copy of the settings; the one place besides the header that lists them all. */
    private static final class Builder {
        int minSessionTimeoutMs;
        int maxSessionTimeoutMs;
        int initialRebalanceDelayMs;
        int maxGroupSize;
        int newMemberJoinTimeoutMs;
        long offsetsRetentionMs;
        long offsetsRetentionCheckIntervalMs;
        int offsetMetadataMaxBytes;
        int snapshotMinRecords;
        int consumerSessionTimeoutMs;
        int consumerHeartbeatIntervalMs;
        int consumerMaxSize;
        java.util.List<String> consumerAssignors;
        String consumerMigrationPolicy;

        Builder(GroupCoordinatorConfig c) {
            minSessionTimeoutMs = c.minSessionTimeoutMs;
            maxSessionTimeoutMs = c.maxSessionTimeoutMs;
            initialRebalanceDelayMs = c.initialRebalanceDelayMs;
            maxGroupSize = c.maxGroupSize;
            newMemberJoinTimeoutMs = c.newMemberJoinTimeoutMs;
            offsetsRetentionMs = c.offsetsRetentionMs;
            offsetsRetentionCheckIntervalMs = c.offsetsRetentionCheckIntervalMs;
            offsetMetadataMaxBytes = c.offsetMetadataMaxBytes;
            snapshotMinRecords = c.snapshotMinRecords;
            consumerSessionTimeoutMs = c.consumerSessionTimeoutMs;
            consumerHeartbeatIntervalMs = c.consumerHeartbeatIntervalMs;
            consumerMaxSize = c.consumerMaxSize;
            consumerAssignors = c.consumerAssignors;
            consumerMigrationPolicy = c.consumerMigrationPolicy;
        }

        GroupCoordinatorConfig build() {
            return new GroupCoordinatorConfig(
                    minSessionTimeoutMs,
                    maxSessionTimeoutMs,
                    initialRebalanceDelayMs,
                    maxGroupSize,
                    newMemberJoinTimeoutMs,
                    offsetsRetentionMs,
                    offsetsRetentionCheckIntervalMs,
                    offsetMetadataMaxBytes,
                    snapshotMinRecords,
                    consumerSessionTimeoutMs,
                    consumerHeartbeatIntervalMs,
                    consumerMaxSize,
                    consumerAssignors,
                    consumerMigrationPolicy);
        }
    }
}
