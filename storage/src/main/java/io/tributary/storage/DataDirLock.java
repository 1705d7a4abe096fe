package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .lock} file of a data directory, held (an OS file lock) from start-up to shutdown so
 * that a second broker process, or a second log manager in this one, cannot open the same logs.
 */
final class DataDirLock implements Closeable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code lockFile} without waiting.
     *
     * @throws StorageException KAFKA_STORAGE_ERROR if another process (or log manager) holds it
     */
    static DataDirLock acquire(Path lockFile, Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this JVM: the same answer as another process holding it
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StorageException(
                    Errors.KAFKA_STORAGE_ERROR, "Data directory " + dataDir + " is in use by another process");
        }
        return new DataDirLock(channel, lock);
    }

    /** Releases the lock and closes the file. */
    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
