package io.tributary.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code recovery-point-offset-checkpoint} file of a data directory, in Kafka's format
 * (version 0, a count, then {@code topic partition offset} lines): per partition, the offset
 * below which everything was fsynced, so that start-up after a crash CRC-checks only what follows.
 *
 * <p>Threads: written by the log manager under its monitor (background checkpoint, close); read
 * once at start-up.
 */
final class RecoveryPointCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPointCheckpoint.class);

    static final String FILE_NAME = "recovery-point-offset-checkpoint";

    private final Path file;

    RecoveryPointCheckpoint(Path dataDir) {
        this(dataDir, FILE_NAME);
    }

    /** The same format under another name ({@link CleanerCheckpoint} keeps its offsets in it). */
    RecoveryPointCheckpoint(Path dataDir, String fileName) {
        this.file = dataDir.resolve(fileName);
    }

    /** Replaces the file with these recovery points, sorted by topic then partition. */
    void write(Map<TopicPartitionKey, Long> recoveryPoints) throws IOException {
        Map<TopicPartitionKey, Long> sorted = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        sorted.putAll(recoveryPoints);
        StringBuilder sb = new StringBuilder();
        sb.append("0\n").append(sorted.size()).append('\n');
        for (Map.Entry<TopicPartitionKey, Long> e : sorted.entrySet()) {
            sb.append(e.getKey().topic())
                    .append(' ')
                    .append(e.getKey().partition())
                    .append(' ')
                    .append(e.getValue())
                    .append('\n');
        }
        StorageFiles.writeAtomically(file, sb.toString());
    }

    /** The checkpointed recovery points; empty when there is no file or it cannot be read. */
    Map<TopicPartitionKey, Long> read() {
        Map<TopicPartitionKey, Long> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split(" ");
                out.put(new TopicPartitionKey(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (IOException | RuntimeException e) {
            // A damaged checkpoint only means recovering more: start from 0 everywhere.
            LOG.warn("Ignoring unreadable {}: {}", file, e.toString());
            out.clear();
        }
        return out;
    }
}
