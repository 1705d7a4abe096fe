package io.tributary.client.consumer.internals;

import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.network.DisconnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongFunction;

/**
 * Runs an attempt until it succeeds, fails with a non-retriable error, or the deadline passes,
 * backing off exponentially between attempts. Used on the network thread only.
 */
public final class Retries {
    private Retries() {}

    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public static boolean retriable(Throwable t) {
        t = unwrap(t);
        return t instanceof DisconnectException
                || t instanceof TimeoutException
                || t instanceof ApiException a && a.retriable();
    }

    static <T> CompletableFuture<T> withRetries(
            Scheduler scheduler,
            long deadlineMs,
            long backoffMs,
            long backoffMaxMs,
            LongFunction<CompletableFuture<T>> attempt,
            String what) {
        CompletableFuture<T> result = new CompletableFuture<>();
        run(scheduler, deadlineMs, backoffMs, backoffMaxMs, attempt, what, result, 0);
        return result;
    }

    private static <T> void run(
            Scheduler scheduler,
            long deadlineMs,
            long backoffMs,
            long backoffMaxMs,
            LongFunction<CompletableFuture<T>> attempt,
            String what,
            CompletableFuture<T> result,
            int n) {
        long now = System.currentTimeMillis();
        if (result.isDone()) {
            return;
        }
        CompletableFuture<T> f;
        try {
            f = attempt.apply(now);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, err) -> {
            if (err == null) {
                result.complete(v);
                return;
            }
            Throwable cause = unwrap(err);
            long t = System.currentTimeMillis();
            long wait = Math.min(backoffMaxMs, backoffMs * (1L << Math.min(n, 10)));
            if (retriable(cause) && t + wait < deadlineMs) {
                scheduler.schedule(
                        t + wait,
                        () -> run(scheduler, deadlineMs, backoffMs, backoffMaxMs, attempt, what, result, n + 1));
            } else if (retriable(cause)) {
                TimeoutException te = new TimeoutException(
                        what + " did not complete before the deadline; last error: " + cause.getMessage());
                te.initCause(cause);
                result.completeExceptionally(te);
            } else {
                result.completeExceptionally(cause);
            }
        });
    }
}
