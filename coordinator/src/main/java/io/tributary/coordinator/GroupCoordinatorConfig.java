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
                    snapshotMinRecords);
        }
    }
}
