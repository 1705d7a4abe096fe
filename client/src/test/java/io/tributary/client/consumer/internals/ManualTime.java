package io.tributary.client.consumer.internals;

/** A clock that moves only when the test says so (membership tests). */
final class ManualTime implements Time {
    long nowMs = 1_000_000L;

    @Override
    public long milliseconds() {
        return nowMs;
    }

    void sleep(long ms) {
        nowMs += ms;
    }
}
