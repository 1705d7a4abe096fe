package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords and the {@code log-start-offset-checkpoint} file of a data directory (Kafka's
 * name, in the recovery-point file's format): per partition, the log start offset, which after a
 * DeleteRecords lies inside a segment and so cannot be derived from the segment files. A new start
 * is written to the file (atomically, fsynced) before the log shows it, so an acknowledged
 * DeleteRecords survives a SIGKILL; segments wholly below it are then deleted.
 *
 * <p>Threads: every method is synchronized, so the file is always written from a consistent read
 * of all logs and a slower writer never replaces a newer start with an older one.
 */
final class LogStartOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(LogStartOffsets.class);

    static final String FILE_NAME = "log-start-offset-checkpoint";

    /** DeleteRecords' offset meaning "up to the high watermark". */
    static final long HIGH_WATERMARK = -1L;

    private final RecoveryPointCheckpoint file;

    LogStartOffsets(Path dataDir) {
        this.file = new RecoveryPointCheckpoint(dataDir, FILE_NAME);
    }

    /** The checkpointed starts; empty when there is no file or it cannot be read (then segments decide). */
    synchronized Map<TopicPartitionKey, Long> read() {
        return file.read();
    }

    /**
     * Applies a checkpointed start to a just-opened log. A start past the recovered log end means
     * the data after it was lost (an OS crash before fsync): as Kafka does, the log restarts empty
     * at the checkpointed start, so offsets never go backwards.
     */
    static void restore(Log log, long checkpointed) throws IOException {
        if (checkpointed > log.logEndOffset()) {
            LOG.warn(
                    "{}: log end {} is below the checkpointed log start {}; starting empty there",
                    log.dir().getFileName(),
                    log.logEndOffset(),
                    checkpointed);
            log.truncateFullyAndStartAt(checkpointed);
        } else {
            log.maybeIncrementLogStartOffset(checkpointed);
        }
    }

    /**
     * Moves the partition's log start to {@code offset} (-1: the high watermark), as Kafka's
     * DeleteRecords: durable before it is visible, then whole segments below it are deleted. A
     * start at or below the current one changes nothing. Returns the log start afterwards (the
     * low watermark).
     *
     * @throws StorageException POLICY_VIOLATION (cleanup.policy without delete),
     *     OFFSET_OUT_OF_RANGE (negative, or past the high watermark), KAFKA_STORAGE_ERROR
     */
    synchronized long deleteRecords(TopicPartitionKey key, Log log, long offset, Map<TopicPartitionKey, Log> logs)
            throws IOException {
        String partition = key.topic() + "-" + key.partition();
        if (!log.config().deleteRetention()) {
            throw new StorageException(
                    Errors.POLICY_VIOLATION,
                    "Records of partition " + partition + " can not be deleted due to the configured policy");
        }
        long highWatermark = log.highWatermark();
        long target = offset == HIGH_WATERMARK ? highWatermark : offset;
        if (target < 0) {
            throw new StorageException(
                    Errors.OFFSET_OUT_OF_RANGE,
                    "The offset " + target + " for partition " + partition + " is not valid");
        }
        if (target > highWatermark) {
            throw new StorageException(
                    Errors.OFFSET_OUT_OF_RANGE,
                    "Cannot increment the log start offset to " + target + " of partition " + partition
                            + " since it is larger than the high watermark " + highWatermark);
        }
        if (target > log.logStartOffset()) {
            Map<TopicPartitionKey, Long> starts = current(logs);
            starts.put(key, target);
            file.write(starts);
            if (log.maybeIncrementLogStartOffset(target)) {
                LOG.info("{}: log start offset moved to {} by DeleteRecords", partition, target);
            }
            log.deleteSegmentsBelow(log.logStartOffset());
        }
        return log.logStartOffset();
    }

    /** Rewrites the file from the logs' current starts (periodic checkpoint, close, topic deletion). */
    synchronized void write(Map<TopicPartitionKey, Log> logs) throws IOException {
        file.write(current(logs));
    }

    private static Map<TopicPartitionKey, Long> current(Map<TopicPartitionKey, Log> logs) {
        Map<TopicPartitionKey, Long> starts = new HashMap<>();
        logs.forEach((key, log) -> starts.put(key, log.logStartOffset()));
        return starts;
    }
}
