package io.tributary.client.consumer.internals;

/**
 * Where the consumer's network-thread components read the time, so tests can move it by hand
 * instead of sleeping. {@link #SYSTEM} is the wall clock. Implementations must be safe to read
 * from the thread that owns the component.
 */
@FunctionalInterface
public interface Time {
    Time SYSTEM = System::currentTimeMillis;

    /** The current time in milliseconds since the epoch. */
    long milliseconds();
}
