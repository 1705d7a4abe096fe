package io.tributary.coordinator.transaction;

import java.util.Map;

/**
 * The broker settings the transaction coordinator obeys, with Apache Kafka's keys and defaults.
 * Immutable.
 *
 * @param offsetsTopicPartitions how many partitions Kafka's {@code __consumer_offsets} would have;
 *     AddOffsetsToTxn adds the group's partition of it to the transaction, as Kafka does
 */
public record TransactionCoordinatorConfig(
        int maxTimeoutMs,
        long transactionalIdExpirationMs,
        long abortTimedOutCheckIntervalMs,
        long removeExpiredCheckIntervalMs,
        int offsetsTopicPartitions,
        int snapshotMinRecords,
        long markerRetryBackoffMs) {

    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS =
            "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String REMOVE_EXPIRED_CLEANUP_INTERVAL_MS =
            "transaction.remove.expired.transaction.cleanup.interval.ms";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    public static TransactionCoordinatorConfig defaults() {
        return new TransactionCoordinatorConfig(900_000, 604_800_000L, 10_000, 3_600_000, 50, 10_000, 1_000);
    }

    /** Reads the keys above; absent keys keep Kafka's defaults. */
    public static TransactionCoordinatorConfig fromProperties(Map<String, String> props) {
        TransactionCoordinatorConfig d = defaults();
        return new TransactionCoordinatorConfig(
                (int) num(props, TRANSACTION_MAX_TIMEOUT_MS, d.maxTimeoutMs()),
                num(props, TRANSACTIONAL_ID_EXPIRATION_MS, d.transactionalIdExpirationMs()),
                num(props, ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS, d.abortTimedOutCheckIntervalMs()),
                num(props, REMOVE_EXPIRED_CLEANUP_INTERVAL_MS, d.removeExpiredCheckIntervalMs()),
                (int) num(props, OFFSETS_TOPIC_NUM_PARTITIONS, d.offsetsTopicPartitions()),
                d.snapshotMinRecords(),
                d.markerRetryBackoffMs());
    }

    private static long num(Map<String, String> props, String key, long dflt) {
        String v = props.get(key);
        return v == null ? dflt : Long.parseLong(v.trim());
    }

    public TransactionCoordinatorConfig withMaxTimeoutMs(int v) {
        return new TransactionCoordinatorConfig(
                v,
                transactionalIdExpirationMs,
                abortTimedOutCheckIntervalMs,
                removeExpiredCheckIntervalMs,
                offsetsTopicPartitions,
                snapshotMinRecords,
                markerRetryBackoffMs);
    }

    public TransactionCoordinatorConfig withExpiration(long expirationMs, long checkIntervalMs) {
        return new TransactionCoordinatorConfig(
                maxTimeoutMs,
                expirationMs,
                abortTimedOutCheckIntervalMs,
                checkIntervalMs,
                offsetsTopicPartitions,
                snapshotMinRecords,
                markerRetryBackoffMs);
    }

    public TransactionCoordinatorConfig withAbortCheckIntervalMs(long v) {
        return new TransactionCoordinatorConfig(
                maxTimeoutMs,
                transactionalIdExpirationMs,
                v,
                removeExpiredCheckIntervalMs,
                offsetsTopicPartitions,
                snapshotMinRecords,
                markerRetryBackoffMs);
    }

    public TransactionCoordinatorConfig withSnapshotMinRecords(int v) {
        return new TransactionCoordinatorConfig(
                maxTimeoutMs,
                transactionalIdExpirationMs,
                abortTimedOutCheckIntervalMs,
                removeExpiredCheckIntervalMs,
                offsetsTopicPartitions,
                v,
                markerRetryBackoffMs);
    }

    /** The {@code __consumer_offsets} partition of a group (Kafka: abs(hashCode) % partitions). */
    public TxnPartition offsetsPartitionFor(String groupId) {
        return new TxnPartition(OFFSETS_TOPIC, (groupId.hashCode() & 0x7fffffff) % offsetsTopicPartitions);
    }
}
