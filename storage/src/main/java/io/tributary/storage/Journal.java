package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory's write-ahead journal: what makes an acks=all append durable with one
 * synchronous write for every partition at once, where an fsync per partition file cost a
 * device flush each (on this project's 2-core machine one 128 KiB write and sync took 0.29 ms,
 * eight 16 KiB fsyncs of eight files 0.86 ms: docs/design/bench.md, "Journal"). What acks=all
 * waits for is copied here ({@link LogJournal}); the partition files are fsynced later, in bulk,
 * when a journal file is retired (a checkpoint), and a start-up after a crash appends to each
 * log what the journal holds beyond its end ({@link JournalReplay}).
 *
 * <p>Appends are copied into a staging buffer under this object's monitor; the writer thread
 * ("tributary-journal") writes the buffer in one call ({@code O_DIRECT | O_DSYNC} where the file
 * system allows it, else a write and an fdatasync) while the next one fills: a group commit of
 * whatever arrived meanwhile. A checkpoint thread ({@link JournalCheckpoints}) fsyncs the partitions
 * a full file covered and keeps the file for reuse (its blocks already allocated, so later synchronous writes do not grow
 * a file). A failed write (a full disk, a file size limit) is not the end of the journal: that
 * group's partitions are fsynced instead, as without a journal (their waiters get
 * KAFKA_STORAGE_ERROR only if that fails too, and a log whose fsync failed goes offline), and the
 * next group starts a new file, so writes resume when space returns.
 */
public final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    public static final String DIR_NAME = "journal";

    /** What the checkpoint needs of a log: fsync its own files below end (completes when done). */
    interface Target {
        CompletableFuture<Void> fsyncPartitionUpTo(long end);
    }

    /** Fills exactly the bytes it is given (a piece of a segment file, read in place). */
    interface Payload {
        void readInto(ByteBuffer dst) throws IOException;
    }

    private record Waiter(long seq, CompletableFuture<Void> future) {}

    private final Path dir;
    private final long fileBytes;
    private final int stagingBytes;
    private final Thread writer;
    private final JournalCheckpoints checkpoints;
    private final JournalZeroer zeroer;

    // Guarded by this.
    private ByteBuffer filling;
    private ByteBuffer spare;
    private Map<Target, Long> fillingTouched = new IdentityHashMap<>();
    private long appendedSeq;
    private long durableSeq;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** The latest groups (first and last entry number) whose write and fallback fsyncs both failed. */
    private final ArrayDeque<long[]> failedGroups = new ArrayDeque<>();

    private long groupFrom = 1;
    private boolean writing;
    private boolean closing;

    // The writer thread's own.
    private long fileSeq;
    private FileChannel channel;
    private Path current;
    private long filePos;
    private Boolean directOk;
    private volatile boolean direct;
    private Map<Target, Long> currentTouched = new IdentityHashMap<>();
    private long writes;

    private Journal(Path dir, long fileBytes, boolean directIo, int stagingBytes, long firstSeq, List<Path> freeFiles) {
        this.dir = dir;
        this.directOk = directIo ? null : Boolean.FALSE;
        this.fileBytes = fileBytes;
        this.stagingBytes = (int) JournalFormat.alignUp(stagingBytes);
        this.fileSeq = firstSeq - 1;
        this.checkpoints = new JournalCheckpoints(dir, freeFiles);
        this.writer = new Thread(this::writeLoop, "tributary-journal");
        this.zeroer = new JournalZeroer(fileBytes);
        writer.setDaemon(true);
    }

    /**
     * Starts a journal in dir, which must hold no entries still to replay ({@link JournalReplay}
     * retires them first): its files are kept for reuse, numbered on from the highest there.
     */
    static Journal start(Path dir, long fileBytes, boolean directIo, int stagingBytes) throws IOException {
        Files.createDirectories(dir);
        long maxSeq = -1;
        TreeMap<Long, Path> reusable = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long s = Math.max(
                        JournalFormat.seqOf(f, JournalFormat.SUFFIX),
                        JournalFormat.seqOf(f, JournalFormat.FREE_SUFFIX));
                if (s < 0) {
                    continue;
                }
                maxSeq = Math.max(maxSeq, s);
                reusable.put(s, f);
            }
        }
        List<Path> keep = new ArrayList<>();
        for (Path f : reusable.values()) {
            if (f.toString().endsWith(JournalFormat.SUFFIX)) {
                Path freed = f.resolveSibling(
                        f.getFileName().toString().replace(JournalFormat.SUFFIX, JournalFormat.FREE_SUFFIX));
                Files.move(f, freed, StandardCopyOption.ATOMIC_MOVE);
                f = freed;
            }
            if (keep.size() < JournalCheckpoints.KEEP_FREE) {
                keep.add(f);
            } else {
                Files.deleteIfExists(f);
            }
        }
        StorageFiles.fsyncDir(dir);
        Journal j = new Journal(dir, fileBytes, directIo, stagingBytes, maxSeq + 1, keep);
        j.writer.start();
        j.checkpoints.start();
        return j;
    }

    /** Whether writes go out with O_DIRECT | O_DSYNC (else write and fdatasync); known after the first write. */
    boolean direct() {
        return direct;
    }

    /**
     * Copies one entry into the next group commit and returns its sequence number, for
     * {@link #syncUpTo}. The caller holds the log's lock, so a log's entries keep its order;
     * {@code end} is the log's end after this entry, what a checkpoint must fsync it up to.
     *
     * @throws StorageException KAFKA_STORAGE_ERROR when the journal is offline or closed
     */
    long append(Target log, byte type, UUID topicId, int partition, long offset, int length, Payload payload, long end)
            throws IOException {
        int size = JournalFormat.entrySize(length);
        synchronized (this) {
            while (true) {
                checkOpen();
                if (filling == null) {
                    filling = alignedBuffer(Math.max(stagingBytes, size));
                }
                if (filling.remaining() >= size) {
                    break;
                }
                if (filling.position() == 0) {
                    filling = alignedBuffer(size);
                    break;
                }
                // Full: wait for the writer to take it (back-pressure on the appenders).
                notifyAll();
                waitQuietly();
            }
            int start = filling.position();
            if (length > 0) {
                ByteBuffer dst = filling.duplicate()
                        .position(start + JournalFormat.HEADER)
                        .limit(start + size);
                try {
                    payload.readInto(dst);
                } catch (IOException | RuntimeException e) {
                    filling.position(start);
                    throw e;
                }
            }
            // The file sequence is stamped by the writer, which alone knows the file; 0 until then.
            JournalFormat.writeHeader(filling, 0L, type, topicId, partition, offset, length);
            fillingTouched.merge(log, end, Math::max);
            appendedSeq++;
            if (length == 0) {
                notifyAll(); // a truncation marker: nobody will wait for it
            }
            return appendedSeq;
        }
    }

    /** Completes once the entry numbered seq (and every one before it) is durable. */
    CompletableFuture<Void> syncUpTo(long seq) {
        synchronized (this) {
            if (seq <= durableSeq) {
                return failed(seq)
                        ? CompletableFuture.failedFuture(groupFailed())
                        : CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.add(new Waiter(seq, f));
            notifyAll(); // appends do not wake the writer: one request's partitions go in one write
            return f;
        }
    }

    /** Group commits written so far (tests, metrics). */
    synchronized long writes() {
        return writes;
    }

    private void checkOpen() {
        if (closing) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "journal of " + dir.getParent() + " is closed");
        }
    }

    private static ByteBuffer alignedBuffer(int size) {
        int cap = (int) JournalFormat.alignUp(size);
        return ByteBuffer.allocateDirect(cap + JournalFormat.BLOCK)
                .alignedSlice(JournalFormat.BLOCK)
                .limit(cap);
    }

    private void waitQuietly() {
        try {
            wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "interrupted while the journal was full");
        }
    }

    // ------------------------------------------------------------------------------------------
    // The writer thread

    private record Group(ByteBuffer batch, Map<Target, Long> touched, long upTo) {}

    private boolean empty() {
        return filling == null || filling.position() == 0;
    }

    /** Takes what is staged for a write; the caller holds the monitor and writes next. */
    private Group takeLocked() {
        ByteBuffer batch = filling;
        filling = spare != null ? spare.clear().limit(spare.capacity()) : null;
        spare = null;
        Map<Target, Long> touched = fillingTouched;
        fillingTouched = new IdentityHashMap<>();
        writing = true;
        notifyAll();
        return new Group(batch, touched, appendedSeq);
    }

    private void writeLoop() {
        while (true) {
            Group g;
            synchronized (this) {
                while (closing ? writing : (empty() || writing)) {
                    waitUninterruptibly();
                }
                if (empty()) {
                    notifyAll();
                    return; // closing with nothing left
                }
                g = takeLocked();
            }
            writeAndAnswer(g);
        }
    }

    /** Whether a write is running or waited for: then a lone append is better off joining it. */
    synchronized boolean busy() {
        return writing || !waiters.isEmpty();
    }

    /** Writes a group and answers the waiters it covers. */
    private void writeAndAnswer(Group g) {
        ByteBuffer batch = g.batch();
        Map<Target, Long> touched = g.touched();
        long upTo = g.upTo();
        boolean ok = true;
        try {
            writeGroup(batch, touched);
        } catch (IOException | RuntimeException e) {
            // A full disk or a file size limit: this group's partitions are fsynced instead, and
            // the next group goes to a new file (this one's tail may hold part of the write).
            LOG.warn("Journal write in {} failed ({}); fsyncing its {} partitions instead", dir, e, touched.size());
            abandonFile();
            ok = fsyncInstead(touched);
        }
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            if (!ok) {
                failedGroups.add(new long[] {groupFrom, upTo});
                if (failedGroups.size() > 64) {
                    failedGroups.pollFirst();
                }
            }
            groupFrom = upTo + 1;
            durableSeq = upTo;
            writes++;
            writing = false;
            if (spare == null || spare.capacity() < batch.capacity()) {
                spare = batch;
            }
            waiters.removeIf(w -> {
                if (w.seq() <= durableSeq) {
                    done.add(w);
                    return true;
                }
                return false;
            });
            notifyAll();
        }
        for (Waiter w : done) {
            if (failed(w.seq())) {
                w.future().completeExceptionally(groupFailed());
            } else {
                w.future().complete(null);
            }
        }
    }

    /** Whether entry seq was in a group neither the journal nor its partitions' fsyncs made durable. */
    private synchronized boolean failed(long seq) {
        for (long[] g : failedGroups) {
            if (seq >= g[0] && seq <= g[1]) {
                return true;
            }
        }
        return false;
    }

    private StorageException groupFailed() {
        return new StorageException(
                Errors.KAFKA_STORAGE_ERROR, "journal write in " + dir + " and the partitions' fsyncs failed");
    }

    /** After a failed write: every partition of the group fsynced up to its end; false when one fails. */
    private boolean fsyncInstead(Map<Target, Long> touched) {
        List<CompletableFuture<Void>> syncs = new ArrayList<>(touched.size());
        touched.forEach((t, end) -> syncs.add(t.fsyncPartitionUpTo(end)));
        boolean ok = true;
        for (CompletableFuture<Void> f : syncs) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                ok = false;
            }
        }
        return ok;
    }

    /** Seals the current file after a failed write; the next group starts a new one. */
    private void abandonFile() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a channel whose write failed: nothing more to lose
        }
        channel = null;
        checkpoints.seal(fileSeq, current, currentTouched);
        currentTouched = new IdentityHashMap<>();
    }

    private void waitUninterruptibly() {
        try {
            wait();
        } catch (InterruptedException e) {
            // Only close() stops the writer, by setting closing.
        }
    }

    /** Stamps the file sequence into each entry, pads to a block, writes and makes it durable. */
    private void writeGroup(ByteBuffer batch, Map<Target, Long> touched) throws IOException {
        int len = batch.position();
        int padded = (int) JournalFormat.alignUp(len);
        if (channel == null || (filePos > 0 && filePos + padded > fileBytes)) {
            roll();
        }
        stamp(batch, len);
        for (int i = len; i < padded; i++) {
            batch.put(i, (byte) 0);
        }
        ByteBuffer out = batch.duplicate().position(0).limit(padded);
        long pos = filePos;
        zeroer.beforeWrite(pos, pos + padded);
        while (out.hasRemaining()) {
            pos += channel.write(out, pos);
        }
        if (!direct) {
            channel.force(false);
        }
        filePos += padded;
        touched.forEach((t, end) -> currentTouched.merge(t, end, Math::max));
    }

    /** Sets every entry's file sequence (and so its CRC) now that the file is known. */
    private void stamp(ByteBuffer batch, int len) {
        int p = 0;
        while (p < len) {
            int payload = batch.getInt(p + JournalFormat.CRC_AT - 4);
            batch.putLong(p + 4, fileSeq);
            batch.putInt(p + JournalFormat.CRC_AT, JournalFormat.crc(batch, p, payload));
            p += JournalFormat.entrySize(payload);
        }
    }

    /** Seals the current file (its checkpoint is queued) and starts the next, reusing a free one. */
    private void roll() throws IOException {
        if (channel != null) {
            channel.close();
            checkpoints.seal(fileSeq, current, currentTouched);
            currentTouched = new IdentityHashMap<>();
        }
        fileSeq++;
        Path next = dir.resolve(JournalFormat.fileName(fileSeq, JournalFormat.SUFFIX));
        Path reuse = checkpoints.takeFree();
        long allocated = 0;
        if (reuse != null) {
            Files.move(reuse, next, StandardCopyOption.ATOMIC_MOVE);
            allocated = Files.size(next);
        }
        channel = open(next);
        StorageFiles.fsyncDir(dir);
        current = next;
        filePos = 0;
        zeroer.switchTo(next, allocated);
    }

    /** Opens a journal file: O_DIRECT | O_DSYNC when the file system takes it (tried once), else plain. */
    private FileChannel open(Path file) throws IOException {
        List<OpenOption> opts = new ArrayList<>(List.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        if (directOk == null) {
            directOk = false;
            long block = Files.getFileStore(dir).getBlockSize();
            if (block > 0 && JournalFormat.BLOCK % block == 0) {
                List<OpenOption> d = new ArrayList<>(opts);
                d.add(StandardOpenOption.DSYNC);
                d.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
                try {
                    FileChannel ch = FileChannel.open(file, d.toArray(OpenOption[]::new));
                    directOk = true;
                    direct = true;
                    return ch;
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.info(
                            "Journal in {} without O_DIRECT ({}): each write is followed by fdatasync",
                            dir,
                            e.toString());
                }
            }
        }
        if (directOk) {
            opts.add(StandardOpenOption.DSYNC);
            opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
        }
        return FileChannel.open(file, opts.toArray(OpenOption[]::new));
    }

    // ------------------------------------------------------------------------------------------
    // Close

    /**
     * Writes what is staged, stops the writer, then the checkpoints once the files sealed so far
     * are done, and when {@code logsFlushed} (every log was closed cleanly, so its files hold
     * everything), retires every file: nothing to replay.
     */
    void close(boolean logsFlushed) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            notifyAll();
        }
        joinQuietly(writer);
        zeroer.close();
        failWaiters();
        synchronized (this) {
            LOG.info("Journal {}: {} entries in {} writes (O_DIRECT: {})", dir, appendedSeq, writes, direct);
        }
        try {
            if (channel != null) {
                channel.close();
            }
            checkpoints.close(logsFlushed, current);
        } catch (IOException e) {
            LOG.warn("Closing the journal in {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        close(false);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failWaiters() {
        List<Waiter> left;
        synchronized (this) {
            left = new ArrayList<>(waiters);
            waiters.clear();
        }
        StorageException e =
                new StorageException(Errors.KAFKA_STORAGE_ERROR, "journal of " + dir.getParent() + " closed");
        for (Waiter w : left) {
            w.future().completeExceptionally(e);
        }
    }

    @Override
    public String toString() {
        return "Journal(" + dir + ")";
    }
}
