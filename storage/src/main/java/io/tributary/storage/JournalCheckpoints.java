package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's full files on their way back to reuse: each sealed file waits until every
 * partition it covered is fsynced past what it held (its checkpoint, on the thread
 * "tributary-journal-checkpoint"); then no replay needs it, and it is kept as a free file
 * (renamed {@code .free}, its blocks already allocated) for the writer's next roll, or deleted
 * when {@value #KEEP_FREE} are kept already. Split out of {@link Journal}, whose writer seals
 * files and takes free ones; everything here is under this object's monitor.
 */
final class JournalCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(JournalCheckpoints.class);
    static final int KEEP_FREE = 2;

    /** A full file waiting for its partitions to be fsynced. */
    private record Sealed(long seq, Path path, Map<Journal.Target, Long> touched) {}

    private final Path dir;
    private final Thread thread;
    private final ArrayDeque<Sealed> sealed = new ArrayDeque<>();
    private final ArrayDeque<Path> free = new ArrayDeque<>();
    private boolean closing;

    JournalCheckpoints(Path dir, List<Path> freeFiles) {
        this.dir = dir;
        this.free.addAll(freeFiles);
        this.thread = new Thread(this::loop, "tributary-journal-checkpoint");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a full (or abandoned) file's checkpoint: {@code touched} maps each log to its end in the file. */
    synchronized void seal(long seq, Path path, Map<Journal.Target, Long> touched) {
        sealed.add(new Sealed(seq, path, touched));
        notifyAll();
    }

    /** A free file to reuse for the next journal file, or null. */
    synchronized Path takeFree() {
        return free.pollFirst();
    }

    /**
     * Stops the thread once the sealed files are checkpointed (or one fails). With
     * {@code retireAll} (every log closed cleanly, so its files hold everything) the files
     * still sealed and {@code current}, if any, are retired: nothing is left to replay.
     */
    void close(boolean retireAll, Path current) throws IOException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!retireAll) {
            return;
        }
        List<Path> all = new ArrayList<>();
        synchronized (this) {
            sealed.forEach(s -> all.add(s.path()));
            sealed.clear();
        }
        if (current != null) {
            all.add(current);
        }
        for (Path p : all) {
            retire(p);
        }
    }

    private void loop() {
        while (true) {
            Sealed s;
            synchronized (this) {
                while (sealed.isEmpty() && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // Only close() stops the checkpoints, by setting closing.
                    }
                }
                if (sealed.isEmpty()) {
                    return;
                }
                s = sealed.peekFirst();
            }
            if (!checkpoint(s)) {
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    try {
                        wait(1000); // a partition fsync failed (its log is offline): retry later
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            synchronized (this) {
                sealed.pollFirst();
            }
        }
    }

    /** fsyncs every partition the file covered, then frees the file. False when a fsync failed. */
    private boolean checkpoint(Sealed s) {
        List<CompletableFuture<Void>> syncs = new ArrayList<>(s.touched().size());
        s.touched().forEach((t, end) -> syncs.add(t.fsyncPartitionUpTo(end)));
        for (CompletableFuture<Void> f : syncs) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Journal checkpoint of {} waits: a partition fsync failed: {}", s.path(), e.toString());
                return false;
            }
        }
        try {
            retire(s.path());
        } catch (IOException e) {
            LOG.warn("Could not retire journal file {}: {}", s.path(), e.toString());
            return false;
        }
        return true;
    }

    /** A file no replay needs: kept for reuse (renamed .free) or deleted. */
    private void retire(Path file) throws IOException {
        boolean keep;
        synchronized (this) {
            keep = free.size() < KEEP_FREE;
        }
        if (keep) {
            Path freed = file.resolveSibling(
                    file.getFileName().toString().replace(JournalFormat.SUFFIX, JournalFormat.FREE_SUFFIX));
            Files.move(file, freed, StandardCopyOption.ATOMIC_MOVE);
            StorageFiles.fsyncDir(dir);
            synchronized (this) {
                free.add(freed);
            }
        } else {
            Files.deleteIfExists(file);
        }
    }
}
