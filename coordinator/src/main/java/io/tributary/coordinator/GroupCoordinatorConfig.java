package io.tributary.coordinator;

import java.util.Map;

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
        int snapshotMinRecords) {

    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    /** Our own: the fewest records appended since the last snapshot that may trigger a new one. */
    public static final String COORDINATOR_SNAPSHOT_MIN_RECORDS = "group.coordinator.snapshot.min.records";

    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(
                6_000, 1_800_000, 3_000, Integer.MAX_VALUE, 300_000, 7L * 24 * 60 * 60 * 1000, 600_000, 4096, 10_000);
    }

    /** Reads the keys above from broker properties; absent keys keep Kafka's defaults. */
    public static GroupCoordinatorConfig fromProperties(Map<String, String> props) {
        GroupCoordinatorConfig d = defaults();
        return new GroupCoordinatorConfig(
                intProp(props, GROUP_MIN_SESSION_TIMEOUT_MS, d.minSessionTimeoutMs),
                intProp(props, GROUP_MAX_SESSION_TIMEOUT_MS, d.maxSessionTimeoutMs),
                intProp(props, GROUP_INITIAL_REBALANCE_DELAY_MS, d.initialRebalanceDelayMs),
                intProp(props, GROUP_MAX_SIZE, d.maxGroupSize),
                d.newMemberJoinTimeoutMs,
                props.containsKey(OFFSETS_RETENTION_MINUTES)
                        ? Long.parseLong(props.get(OFFSETS_RETENTION_MINUTES).trim()) * 60_000L
                        : d.offsetsRetentionMs,
                props.containsKey(OFFSETS_RETENTION_CHECK_INTERVAL_MS)
                        ? Long.parseLong(
                                props.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS).trim())
                        : d.offsetsRetentionCheckIntervalMs,
                intProp(props, OFFSET_METADATA_MAX_BYTES, d.offsetMetadataMaxBytes),
                intProp(props, COORDINATOR_SNAPSHOT_MIN_RECORDS, d.snapshotMinRecords));
    }

    private static int intProp(Map<String, String> props, String key, int dflt) {
        String v = props.get(key);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    public GroupCoordinatorConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupCoordinatorConfig(
                minMs,
                maxMs,
                initialRebalanceDelayMs,
                maxGroupSize,
                newMemberJoinTimeoutMs,
                offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes,
                snapshotMinRecords);
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(int ms) {
        return new GroupCoordinatorConfig(
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                ms,
                maxGroupSize,
                newMemberJoinTimeoutMs,
                offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes,
                snapshotMinRecords);
    }

    public GroupCoordinatorConfig withMaxGroupSize(int n) {
        return new GroupCoordinatorConfig(
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                initialRebalanceDelayMs,
                n,
                newMemberJoinTimeoutMs,
                offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes,
                snapshotMinRecords);
    }

    public GroupCoordinatorConfig withOffsetsRetention(long retentionMs, long checkIntervalMs) {
        return new GroupCoordinatorConfig(
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                initialRebalanceDelayMs,
                maxGroupSize,
                newMemberJoinTimeoutMs,
                retentionMs,
                checkIntervalMs,
                offsetMetadataMaxBytes,
                snapshotMinRecords);
    }

    public GroupCoordinatorConfig withOffsetMetadataMaxBytes(int n) {
        return new GroupCoordinatorConfig(
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                initialRebalanceDelayMs,
                maxGroupSize,
                newMemberJoinTimeoutMs,
                offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs,
                n,
                snapshotMinRecords);
    }

    public GroupCoordinatorConfig withSnapshotMinRecords(int n) {
        return new GroupCoordinatorConfig(
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                initialRebalanceDelayMs,
                maxGroupSize,
                newMemberJoinTimeoutMs,
                offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes,
                n);
    }
}
