package io.tributary.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out producer ids that are never reused, even across restarts or crashes: ids come from
 * blocks whose upper bound is persisted (fsync + rename) before any id of the block is given out.
 * A restart starts at the persisted bound, skipping whatever the last block had left. Thread-safe
 * (synchronized); called from any event loop.
 */
public final class ProducerIdManager {
    static final String FILE_NAME = "producer-id-block";
    static final long BLOCK_SIZE = 1000;

    private final Path dir;
    private long next;
    private long blockEnd;

    public ProducerIdManager(Path dir) throws IOException {
        this.dir = dir;
        Path file = dir.resolve(FILE_NAME);
        long start = 0;
        if (Files.exists(file)) {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            try {
                start = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IOException(file + " holds " + s + ", not a producer id", e);
            }
        }
        this.next = start;
        this.blockEnd = start;
    }

    public synchronized long nextProducerId() {
        if (next >= blockEnd) {
            long end = next + BLOCK_SIZE;
            try {
                MetaProperties.writeAtomically(
                        dir, FILE_NAME, out -> out.write(Long.toString(end).getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot persist the producer id block", e);
            }
            blockEnd = end;
        }
        return next++;
    }
}
