package io.tributary.storage;

/**
 * The flusher's view of its {@link Log}: the end to fsync up to, the active segment (whose indexes
 * are still growing), a failed fsync taking the log offline, and zeros asked for ahead of the
 * appends after each fsync. Split out of the log for size; reads and writes the log's
 * package-private volatile state.
 */
final class LogFlushTarget implements LogFlusher.FlushTarget {
    private final Log log;

    LogFlushTarget(Log log) {
        this.log = log;
    }

    @Override
    public long endOffset() {
        return log.end.offset();
    }

    @Override
    public LogSegment active() {
        return log.active;
    }

    @Override
    public boolean closed() {
        return log.closed;
    }

    @Override
    public void takeOffline() {
        log.offline = true;
    }

    @Override
    public void fsynced() {
        if (!log.closed && !log.offline) {
            log.active.maybeZeroAhead(log.zeroAheadMaxBytes, log.config.segmentBytes);
        }
    }
}
