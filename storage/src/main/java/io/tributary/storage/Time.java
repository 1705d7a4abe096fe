package io.tributary.storage;

/**
 * The clock storage reads for segment rolling, retention, producer expiry and flush scheduling.
 * Injected so tests move time by hand instead of sleeping. Implementations are thread-safe.
 */
public interface Time {
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };

    /** Wall-clock time in milliseconds since the epoch (comparable with record timestamps). */
    long milliseconds();

    /** Monotonic time for measuring intervals. */
    long nanoseconds();
}
