package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit flusher of one {@link Log}: answers "is every offset below o on disk?" and
 * owns the recovery point (the end of the last completed fsync). One fsync runs at a time per
 * log; requests that arrive while it runs wait for the next one, which covers them all, so one
 * fsync serves every waiter.
 *
 * <p>Threads: {@link #flushUpTo} is called from any thread (appenders, request handlers, the
 * log manager's flush-by-time pass); the fsyncs run on the flush executor. This object's monitor
 * guards the waiters, the running flag and raises of the recovery point; the recovery point is
 * volatile so readers take no lock.
 */
final class LogFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);

    /** What the flusher needs of its log. */
    interface FlushTarget {
        /** The offset after the last complete batch. */
        long endOffset();

        /** The segment appends go to; its indexes are still growing, so they are not fsynced. */
        LogSegment active();

        boolean closed();

        /** A failed fsync: the page cache can no longer be trusted, so the log stops taking writes. */
        void takeOffline();

        /** An fsync completed: the log may ask for zeros ahead of its appends. */
        default void fsynced() {}
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {}

    /** The log's directory, named in messages (no string per partition). */
    private final Path logName;

    private final Time time;
    private final Executor executor;
    private final NavigableMap<Long, LogSegment> segments;
    private final FlushTarget log;

    private final List<Waiter> waiters = new ArrayList<>();
    private boolean running;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private final AtomicLong fsyncs = new AtomicLong();

    LogFlusher(
            Path logName,
            Time time,
            Executor executor,
            NavigableMap<Long, LogSegment> segments,
            FlushTarget log,
            long recoveryPoint) {
        this.logName = logName;
        this.segments = segments;
        this.time = time;
        this.executor = executor;
        this.log = log;
        this.recoveryPoint = recoveryPoint;
        this.lastFlushMs = time.milliseconds();
    }

    /** Offset below which all data has been fsynced. */
    long recoveryPoint() {
        return recoveryPoint;
    }

    long fsyncCount() {
        return fsyncs.get();
    }

    /**
     * Completes once every offset below {@code offset} is fsynced (offsets above the log end are
     * clamped to it). Fails with a StorageException(KAFKA_STORAGE_ERROR) if fsync fails.
     */
    CompletableFuture<Void> flushUpTo(long offset) {
        return flushUpTo(offset, false);
    }

    /**
     * As {@link #flushUpTo(long)}; with {@code hereIfIdle}, when no fsync of this log is running,
     * the first one runs on the calling thread (the rest, if more requests queue meanwhile, on the
     * executor). For a lone small acks=all append this saves the two thread hand-offs, whose
     * wake-ups on a busy 2-core machine took 1.5-8 ms in 0.55% of trips (docs/design/bench.md,
     * "End-to-end tail").
     */
    CompletableFuture<Void> flushUpTo(long offset, boolean hereIfIdle) {
        long target = Math.min(offset, log.endOffset());
        if (target <= recoveryPoint) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            if (target <= recoveryPoint) {
                return CompletableFuture.completedFuture(null);
            }
            waiters.add(new Waiter(target, f));
            start = !running;
            running = true;
        }
        if (start) {
            if (hereIfIdle) {
                runFlushes(true);
            } else {
                startOnExecutor();
            }
        }
        return f;
    }

    private void startOnExecutor() {
        try {
            executor.execute(() -> runFlushes(false));
        } catch (RuntimeException e) {
            synchronized (this) {
                running = false;
            }
            failWaiters(new StorageException(Errors.KAFKA_STORAGE_ERROR, "flusher unavailable", e));
        }
    }

    /** Flushes if flushMs has passed since the last flush and there is unflushed data. */
    void maybeFlushByTime(long flushMs) {
        if (flushMs != Long.MAX_VALUE
                && log.endOffset() > recoveryPoint
                && time.milliseconds() - lastFlushMs >= flushMs) {
            flushUpTo(log.endOffset());
        }
    }

    /** Runs fsyncs while waiters remain; {@code onePass}: one here, the rest on the executor. */
    private void runFlushes(boolean onePass) {
        while (true) {
            long target = log.endOffset();
            try {
                fsyncBelow(target);
                fsyncs.incrementAndGet();
                log.fsynced();
            } catch (IOException | RuntimeException e) {
                if (log.closed()) {
                    // close() flushed everything itself and answered the waiters
                    synchronized (this) {
                        running = false;
                    }
                    failWaiters(new StorageException(Errors.KAFKA_STORAGE_ERROR, "log closed"));
                    return;
                }
                log.takeOffline();
                LOG.error("{}: fsync failed; log taken offline", logName.getFileName(), e);
                synchronized (this) {
                    running = false;
                }
                failWaiters(new StorageException(Errors.KAFKA_STORAGE_ERROR, "fsync failed: " + e, e));
                return;
            }
            List<Waiter> done = new ArrayList<>();
            synchronized (this) {
                if (target > recoveryPoint) {
                    recoveryPoint = target;
                }
                lastFlushMs = time.milliseconds();
                Iterator<Waiter> it = waiters.iterator();
                while (it.hasNext()) {
                    Waiter w = it.next();
                    if (w.offset() <= recoveryPoint) {
                        done.add(w);
                        it.remove();
                    }
                }
                if (waiters.isEmpty()) {
                    running = false;
                }
            }
            for (Waiter w : done) {
                w.future().complete(null);
            }
            synchronized (this) {
                if (!running) {
                    return;
                }
            }
            if (onePass) {
                startOnExecutor();
                return;
            }
        }
    }

    /**
     * fsyncs the segments holding offsets from the recovery point up to target (the log files;
     * the indexes once a segment is inactive). Does not move the recovery point.
     */
    void fsyncBelow(long target) throws IOException {
        long rp = recoveryPoint;
        Long fromKey = segments.floorKey(rp);
        Map<Long, LogSegment> range =
                fromKey == null ? segments.headMap(target, false) : segments.subMap(fromKey, true, target, false);
        for (LogSegment seg : range.values()) {
            try {
                // Asked per segment: a roll meanwhile makes the old active one's indexes final.
                seg.flush(seg != log.active());
            } catch (ClosedChannelException e) {
                if (segments.get(seg.baseOffset()) == seg) {
                    throw e;
                }
                // removed by retention or truncation meanwhile: nothing to make durable
            }
        }
    }

    private void failWaiters(Throwable t) {
        List<Waiter> failed;
        synchronized (this) {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : failed) {
            w.future().completeExceptionally(t);
        }
    }

    /** Truncation removed everything from leo on: what was flushed above it no longer exists. */
    void lowerRecoveryPointTo(long leo) {
        synchronized (this) {
            recoveryPoint = Math.min(recoveryPoint, leo);
        }
    }

    /** The log was emptied and restarted at offset. */
    void resetRecoveryPoint(long offset) {
        synchronized (this) {
            recoveryPoint = offset;
        }
    }

    /** close() fsynced everything itself, up to end. */
    void closedFlushedTo(long end) {
        recoveryPoint = end;
    }

    /**
     * Answers every waiter at close: those the final flush covered succeed, the rest fail (all
     * fail when the close failed).
     */
    void answerWaitersAtClose(boolean closeFailed) {
        List<Waiter> left;
        synchronized (this) {
            left = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : left) {
            if (!closeFailed && w.offset() <= recoveryPoint) {
                w.future().complete(null);
            } else {
                w.future().completeExceptionally(new StorageException(Errors.KAFKA_STORAGE_ERROR, "log closed"));
            }
        }
    }
}
