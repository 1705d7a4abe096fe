package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.common.errors.WakeupException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application thread's waits for network-thread results, each until a deadline, and
 * {@code wakeup()}, which interrupts the current wait or the next one. {@link #wakeup} is safe
 * from any thread; everything else runs on the application thread (the one holding the
 * consumer).
 */
public final class ApplicationWaits {
    private static final long CALLBACK_CHECK_MS = 20;
    private static final long POSITION_CHECK_MS = 50;

    private final FetchBuffer fetchBuffer;
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<?>> activeWait = new AtomicReference<>();

    public ApplicationWaits(FetchBuffer fetchBuffer) {
        this.fetchBuffer = fetchBuffer;
    }

    /** Any thread: the current or next blocking call throws {@link WakeupException}. */
    public void wakeup() {
        woken.set(true);
        CompletableFuture<?> f = activeWait.get();
        if (f != null) {
            f.completeExceptionally(new WakeupException());
        }
        fetchBuffer.wakeup();
    }

    public void maybeThrowWakeup() {
        if (woken.getAndSet(false)) {
            throw new WakeupException();
        }
    }

    /** Forgets a pending wakeup (close ignores it). */
    public void clearWakeup() {
        woken.set(false);
    }

    /** Waits for a network-thread result until the deadline; wakeup() interrupts the wait. */
    public <T> T await(CompletableFuture<T> f, long deadlineMs, String what) {
        maybeThrowWakeup();
        activeWait.set(f);
        try {
            if (woken.get()) {
                f.completeExceptionally(new WakeupException());
            }
            long remaining = Math.max(0, deadlineMs - System.currentTimeMillis());
            return f.get(remaining, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(what + " timed out after waiting for the deadline");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WakeupException) {
                woken.set(false);
                throw new WakeupException();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TributaryException(what + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(what + " was interrupted", e);
        } finally {
            activeWait.set(null);
        }
    }

    /**
     * poll's wait: until fetched data arrives, {@link #wakeup} is called or the deadline passes.
     *
     * @return false once the deadline has passed (poll returns empty)
     */
    public boolean awaitFetches(long deadlineMs) {
        long remaining = deadlineMs - System.currentTimeMillis();
        if (remaining <= 0) {
            return false;
        }
        try {
            fetchBuffer.awaitNotEmpty(remaining);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("poll was interrupted", e);
        }
        return System.currentTimeMillis() < deadlineMs;
    }

    /**
     * position()'s wait: until the partition has a position (or is no longer assigned and the
     * deadline passes), running {@code processEvents} each round; with auto.offset.reset=none
     * and nothing to start from, throws {@code NoOffsetForPartitionException}.
     */
    public long awaitPosition(
            SubscriptionState subscriptions,
            TopicPartition partition,
            long deadlineMs,
            long timeoutMs,
            Runnable processEvents) {
        while (true) {
            maybeThrowWakeup();
            processEvents.run();
            subscriptions.throwIfNoResetPolicy();
            Long p = subscriptions.isAssigned(partition) ? subscriptions.position(partition) : null;
            if (p != null) {
                return p;
            }
            long remaining = deadlineMs - System.currentTimeMillis();
            if (remaining <= 0) {
                throw new TimeoutException("Timeout of " + timeoutMs + "ms expired before the position for"
                        + " partition " + partition + " could be determined");
            }
            subscriptions.awaitChange(Math.min(remaining, POSITION_CHECK_MS));
        }
    }

    /**
     * Waits until {@code f} is done or the deadline passes, running {@code processEvents} (the
     * callbacks the network thread asks for) while it waits and once more at the end: the
     * network thread's work may itself wait for those callbacks.
     */
    public static void awaitWithCallbacks(CompletableFuture<?> f, long deadlineMs, Runnable processEvents) {
        while (!f.isDone() && System.currentTimeMillis() < deadlineMs) {
            processEvents.run();
            try {
                f.get(
                        Math.min(CALLBACK_CHECK_MS, Math.max(1, deadlineMs - System.currentTimeMillis())),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                // keep going until done or the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        processEvents.run();
    }

    /** Now plus {@code timeoutMs}, saturating at Long.MAX_VALUE. */
    public static long deadline(long timeoutMs) {
        long now = System.currentTimeMillis();
        return timeoutMs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutMs;
    }

    /** A non-negative timeout in milliseconds, saturating at Long.MAX_VALUE. */
    public static long millis(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("Timeout must not be negative");
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
