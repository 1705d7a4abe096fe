package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code cleaner-offset-checkpoint} file of a data directory (Kafka's name and format, as
 * the recovery-point file): per compacted partition, the offset up to which the cleaner has
 * cleaned, i.e. where the dirty section starts. Losing it is harmless: the next pass treats
 * the whole log as dirty and cleans it again.
 *
 * <p>Threads: any; the in-memory map and the file writes are guarded by this object.
 */
final class CleanerCheckpoint {
    static final String FILE_NAME = "cleaner-offset-checkpoint";

    private final RecoveryPointCheckpoint file;
    private final Map<TopicPartitionKey, Long> offsets;

    CleanerCheckpoint(Path dataDir) {
        this.file = new RecoveryPointCheckpoint(dataDir, FILE_NAME);
        this.offsets = new HashMap<>(file.read());
    }

    /** The checkpointed first dirty offset, or -1 when the partition was never cleaned. */
    synchronized long get(TopicPartitionKey key) {
        return offsets.getOrDefault(key, -1L);
    }

    /** Records a new first dirty offset and rewrites the file. */
    synchronized void update(TopicPartitionKey key, long firstDirtyOffset) throws IOException {
        offsets.put(key, firstDirtyOffset);
        file.write(offsets);
    }

    /** Forgets a deleted partition. */
    synchronized void remove(TopicPartitionKey key) throws IOException {
        if (offsets.remove(key) != null) {
            file.write(offsets);
        }
    }

    synchronized Map<TopicPartitionKey, Long> all() {
        return Map.copyOf(offsets);
    }
}
