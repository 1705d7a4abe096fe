package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zeros written ahead of an active segment's appends, so that the fsync after an append
 * overwrites blocks that already exist instead of growing the file. On ext4 an fdatasync of a
 * growing file also writes the inode (its size changed); into written blocks it does not: a
 * lone 16 KiB writer on this project's machines made 80 MB/s growing and 115 MB/s over zeros,
 * p50 195 against 130 us per fsync (docs/design/bench.md, "Zeros ahead").
 *
 * <p>The file is therefore longer than the segment: the segment's size is where its batches
 * end, this object's {@code fileEnd} where the file ends. The zero tail is cut when the segment
 * stops being active (roll, close); after a crash, recovery stops at the first zero header and
 * cuts the rest, as it cuts any torn tail.
 *
 * <p>Only logs that fsync, a little at a time, get zeros: the flusher asks for more after each
 * fsync of the active segment, and they are written only while the fsyncs average at most
 * {@link #SMALL_FSYNC_BYTES}. The window grows with the segment (64 KiB for a new one, doubling with its size up to
 * the configured maximum), so idle partitions cost little disk.
 *
 * <p>Threads: one daemon thread writes zeros for every log of the JVM. Appends (under the log's
 * lock) reserve their range before writing; the zeroer claims only ranges above every
 * reservation, and an append that would reach into a claim waits for that one zero write (a
 * page-cache copy of at most {@link #CHUNK} bytes). This object's monitor guards the ends.
 */
final class SegmentZeroTail {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentZeroTail.class);
    static final int CHUNK = 1 << 20;
    static final int MIN_WINDOW = 64 * 1024;
    /**
     * Zeros pay only for small fsyncs. Writing them costs about as much CPU per byte as the
     * data (page-cache copy, writeback), and saves a fixed ~40 us per fsync: below ~16 KiB per
     * fsync they win (end-to-end trips, one small batch each), above they lose (1 KiB acks=all
     * at full speed: 72-80 against 80-86 MB/s and 1.5x the broker's CPU with zeros ahead of
     * every fsync; docs/design/bench.md, "Zeros ahead").
     */
    static final int SMALL_FSYNC_BYTES = 16 * 1024;

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();
    private static final ExecutorService ZEROER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-log-zeroer");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel channel;
    /** Named in messages (its toString, built only then). */
    private final Object name;
    /** Where the file ends, or will end once the writes reserved so far are done. */
    private long fileEnd;

    private long claimFrom;
    private long claimTo;
    private boolean stopped;
    private boolean queued;
    /** The segment's size at the last fsync, and the moving average of bytes per fsync (-1 before the first). */
    private long sizeAtLastFsync;

    private long bytesPerFsync = -1;

    SegmentZeroTail(FileChannel channel, Object name) throws IOException {
        this.channel = channel;
        this.name = name;
        this.fileEnd = channel.size();
        this.sizeAtLastFsync = fileEnd;
    }

    /** An append is about to write [from, to): waits out a zero write over that range, then reserves it. */
    synchronized void reserve(long from, long to) {
        awaitNoClaimOver(from, to);
        fileEnd = Math.max(fileEnd, to);
    }

    /**
     * Cuts the file to {@code length} (zeros and all), after the zero write in progress if any.
     * With {@code stop}, no zeros are written any more (the segment is no longer active).
     * Returns whether the file was longer.
     */
    synchronized boolean truncate(long length, boolean stop) throws IOException {
        stopped |= stop;
        awaitNoClaimOver(Long.MIN_VALUE, Long.MAX_VALUE);
        boolean longer = channel.size() > length;
        if (longer) {
            channel.truncate(length);
        }
        fileEnd = length;
        return longer;
    }

    /** Waits (holding the monitor's turn) until no zero write claims any of [from, to). */
    private void awaitNoClaimOver(long from, long to) {
        boolean interrupted = false;
        while (claimTo > claimFrom && to > claimFrom && from < claimTo) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks for more zeros when fewer than half a window are left after {@code size} (the
     * segment's end); the window is the segment's size rounded up to a power of two, between
     * {@link #MIN_WINDOW} and {@code maxWindow}, and never past {@code limit} (segment.bytes).
     */
    void maybeExtend(int size, int maxWindow, long limit) {
        if (maxWindow <= 0) {
            return;
        }
        long window = window(size, maxWindow);
        synchronized (this) {
            long delta = Math.max(0, size - sizeAtLastFsync);
            sizeAtLastFsync = size;
            bytesPerFsync = bytesPerFsync < 0 ? delta : (bytesPerFsync * 7 + delta) / 8;
            if (stopped
                    || queued
                    || bytesPerFsync > SMALL_FSYNC_BYTES
                    || fileEnd - size >= window / 2
                    || fileEnd >= limit) {
                return;
            }
            queued = true;
        }
        try {
            ZEROER.execute(() -> extend(size, window, limit));
        } catch (RuntimeException e) {
            synchronized (this) {
                queued = false;
            }
        }
    }

    static long window(int size, int maxWindow) {
        long w = Math.max(MIN_WINDOW, Long.highestOneBit(Math.max(1, size)) << 1);
        return Math.min(w, Math.max(MIN_WINDOW, maxWindow));
    }

    private void extend(int size, long window, long limit) {
        try {
            while (true) {
                long from;
                long to;
                synchronized (this) {
                    to = Math.min(Math.min(fileEnd + CHUNK, size + window), limit);
                    if (stopped || to <= fileEnd) {
                        return;
                    }
                    from = fileEnd;
                    claimFrom = from;
                    claimTo = to;
                    fileEnd = to;
                }
                try {
                    writeZeros(from, to);
                } finally {
                    synchronized (this) {
                        claimFrom = claimTo = 0;
                        notifyAll();
                    }
                }
                // Durable zeros (and file size) are what makes the appender's own fsyncs cheap.
                channel.force(false);
            }
        } catch (IOException | RuntimeException e) {
            // A full disk or a closed segment: the appends still work, they only grow the file.
            synchronized (this) {
                stopped = true;
            }
            LOG.debug("{}: no more zeros ahead: {}", name, e.toString());
        } finally {
            synchronized (this) {
                queued = false;
            }
        }
    }

    private void writeZeros(long from, long to) throws IOException {
        ByteBuffer z = ZEROS.duplicate();
        long pos = from;
        while (pos < to) {
            z.clear();
            z.limit((int) Math.min(CHUNK, to - pos));
            pos += channel.write(z, pos);
        }
    }
}
