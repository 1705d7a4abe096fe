package io.tributary.client.common;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Kafka's {@code KafkaFuture} shape (issue 12): the per-entity result of an admin call. {@link #get()} throws an
 * {@link ExecutionException} whose cause is the Kafka-typed exception, as Kafka's does, so ported code that
 * unwraps {@code getCause()} keeps working. Backed by a {@link CompletableFuture}; thread-safe.
 */
public class KafkaFuture<T> implements Future<T> {
    /** A function for {@link #thenApply}, named as in Kafka so ported lambdas and classes compile. */
    @FunctionalInterface
    public interface BaseFunction<A, B> {
        B apply(A a);
    }

    /** A callback for {@link #whenComplete}; exactly one of value and exception is non-null-meaningful. */
    @FunctionalInterface
    public interface BiConsumer<A, B> {
        void accept(A a, B b);
    }

    private final CompletableFuture<T> future;

    public KafkaFuture() {
        this(new CompletableFuture<>());
    }

    private KafkaFuture(CompletableFuture<T> future) {
        this.future = future;
    }

    /** Wraps a CompletableFuture; completing either completes both. */
    public static <U> KafkaFuture<U> wrap(CompletableFuture<U> future) {
        return new KafkaFuture<>(future);
    }

    public static <U> KafkaFuture<U> completedFuture(U value) {
        return new KafkaFuture<>(CompletableFuture.completedFuture(value));
    }

    /** Completes when all complete; fails with the first failure among them. */
    public static KafkaFuture<Void> allOf(KafkaFuture<?>... futures) {
        return new KafkaFuture<>(CompletableFuture.allOf(
                Arrays.stream(futures).map(f -> f.future).toArray(CompletableFuture<?>[]::new)));
    }

    public <R> KafkaFuture<R> thenApply(BaseFunction<T, R> function) {
        return new KafkaFuture<>(future.thenApply(function::apply));
    }

    public KafkaFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return new KafkaFuture<>(future.whenComplete((v, e) -> action.accept(v, unwrap(e))));
    }

    /** A read-only view for composition with other CompletionStages. */
    public CompletionStage<T> toCompletionStage() {
        return future.minimalCompletionStage();
    }

    public boolean complete(T value) {
        return future.complete(value);
    }

    public boolean completeExceptionally(Throwable t) {
        return future.completeExceptionally(t);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return future.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    public boolean isCompletedExceptionally() {
        return future.isCompletedExceptionally();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrowable(e);
        }
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        try {
            return future.get(timeout, unit);
        } catch (ExecutionException e) {
            throw rethrowable(e);
        }
    }

    /** The value if complete, else {@code valueIfAbsent}; a failure is thrown as in {@link #get()}. */
    public T getNow(T valueIfAbsent) throws InterruptedException, ExecutionException {
        return future.isDone() ? get() : valueIfAbsent;
    }

    private static ExecutionException rethrowable(ExecutionException e) {
        Throwable cause = unwrap(e.getCause());
        return cause == e.getCause() ? e : new ExecutionException(cause);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return "KafkaFuture{" + future + "}";
    }
}
