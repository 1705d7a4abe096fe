package io.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.topic.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A parked operation looks once per attempt and completes with the look that satisfied it. */
class PurgatoryTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Satisfied once {@code available} reaches 2; each look returns the value it saw. */
    private static final class Counting extends DelayedOperation<Integer> {
        final AtomicInteger available = new AtomicInteger();
        final AtomicInteger looks = new AtomicInteger();
        final List<Integer> completedWith = new ArrayList<>();

        @Override
        protected Integer attempt() {
            looks.incrementAndGet();
            int now = available.get();
            return now >= 2 ? now : null;
        }

        @Override
        protected void onComplete(Integer result) {
            completedWith.add(result);
        }
    }

    @Test
    void looksOncePerAttemptAndAnswersWithTheSatisfyingLook() {
        Purgatory purgatory = new Purgatory();
        Counting op = new Counting();
        purgatory.watch(op, List.of(TP), 60_000, timer);
        assertThat(op.looks).as("one look after registering").hasValue(1);
        assertThat(purgatory.size()).isOne();

        op.available.set(1);
        purgatory.onAppend(TP);
        assertThat(op.looks).hasValue(2);
        assertThat(op.isCompleted()).isFalse();

        op.available.set(2);
        purgatory.onAppend(TP);
        assertThat(op.looks).as("the satisfying look is not repeated").hasValue(3);
        assertThat(op.completedWith).containsExactly(2);
        assertThat(purgatory.size()).isZero();

        purgatory.onAppend(TP);
        assertThat(op.looks).as("no look after completion").hasValue(3);
    }

    @Test
    void forcedCompletionHasNoLookToReuse() {
        Purgatory purgatory = new Purgatory();
        Counting op = new Counting();
        purgatory.watch(op, List.of(TP), 60_000, timer);
        purgatory.shutdown();
        assertThat(op.completedWith).containsExactly((Integer) null);
        assertThat(op.looks).hasValue(1);
    }
}
