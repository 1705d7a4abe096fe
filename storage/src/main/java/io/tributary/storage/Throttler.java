package io.tributary.storage;

/**
 * Holds the cleaner's I/O to {@code log.cleaner.io.max.bytes.per.second}: callers report the
 * bytes they read or wrote, and once the rate measured over a check interval is above the
 * limit the caller sleeps until it is back at the limit, as Kafka's Throttler does. Time comes
 * from the injected {@link Time} and sleeping from an injected {@link Sleeper}, so tests measure
 * bytes per unit of their own clock.
 *
 * <p>Threads: shared by the cleaner threads; {@link #maybeThrottle} is synchronized so the limit
 * holds for all of them together.
 */
final class Throttler {
    /** Sleeps; a test's sleeper advances its manual clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleepMs(long ms) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = Thread::sleep;
    private static final long CHECK_INTERVAL_NS = 300_000_000L;

    private final double bytesPerSecond;
    private final Time time;
    private final Sleeper sleeper;
    private long periodStartNs;
    private double observed;

    Throttler(double bytesPerSecond, Time time, Sleeper sleeper) {
        this.bytesPerSecond = bytesPerSecond;
        this.time = time;
        this.sleeper = sleeper;
        this.periodStartNs = time.nanoseconds();
    }

    boolean unlimited() {
        return bytesPerSecond >= Double.MAX_VALUE || Double.isInfinite(bytesPerSecond) || bytesPerSecond <= 0;
    }

    /** Counts bytes of I/O; sleeps when the rate since the period began exceeds the limit. */
    synchronized void maybeThrottle(long bytes) throws InterruptedException {
        if (unlimited()) {
            return;
        }
        observed += bytes;
        long now = time.nanoseconds();
        long elapsedNs = now - periodStartNs;
        // A short period with a big burst still throttles: otherwise a fast disk finishes the
        // whole clean before the first check, and a slow clock (tests) never reaches one.
        if (elapsedNs < CHECK_INTERVAL_NS && observed < bytesPerSecond * CHECK_INTERVAL_NS / 1e9) {
            return;
        }
        double targetNs = observed / bytesPerSecond * 1e9;
        long sleepMs = (long) Math.ceil((targetNs - elapsedNs) / 1e6);
        if (sleepMs > 0) {
            sleeper.sleepMs(sleepMs);
        }
        periodStartNs = time.nanoseconds();
        observed = 0;
    }
}
