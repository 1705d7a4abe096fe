package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system steps storage's metadata files share: a replace that a crash leaves either old
 * or new (tmp, fsync, rename, fsync the directory), and a recursive delete.
 *
 * <p>Stateless; any thread.
 */
final class StorageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFiles.class);

    private StorageFiles() {}

    static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(target.getParent());
    }

    /** Makes a rename or delete in dir durable. */
    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync a directory; the rename is still atomic.
            LOG.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        }
    }

    /**
     * A non-negative number as 20 digits with leading zeros (Kafka's file names), without
     * String.format: its Formatter and locale data were classes loaded at start-up, and segment
     * paths are now built each time they are asked for.
     */
    static String padded20(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative offset " + n);
        }
        String digits = Long.toString(n);
        return "0".repeat(20 - digits.length()) + digits;
    }
}
