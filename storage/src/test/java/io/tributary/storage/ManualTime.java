package io.tributary.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Time} that moves only when told to; for tests of rolling and retention. Thread-safe. */
public final class ManualTime implements Time {
    private final AtomicLong nowMs;
    private final long startNanos = 1_000_000_000L;

    public ManualTime(long startMs) {
        this.nowMs = new AtomicLong(startMs);
    }

    public ManualTime() {
        this(1_700_000_000_000L);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return startNanos + TimeUnit.MILLISECONDS.toNanos(nowMs.get());
    }

    public void advanceMs(long ms) {
        nowMs.addAndGet(ms);
    }

    public void setMs(long ms) {
        nowMs.set(ms);
    }
}
