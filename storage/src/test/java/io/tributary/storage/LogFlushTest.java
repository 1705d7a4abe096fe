package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFlushTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(9);
    private Log log;

    private Log open(Map<String, String> overrides, java.util.concurrent.Executor flusher) throws IOException {
        log = Log.open(
                dir.resolve("f-0"),
                LogConfig.create(Map.of(), overrides),
                time,
                flusher,
                0,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        return log;
    }

    @AfterEach
    void close() throws Exception {
        // close first and never interrupt: an interrupt inside FileChannel I/O closes the channel
        if (log != null) {
            log.close();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void runQueued() {
        Runnable r;
        while ((r = queued.poll()) != null) {
            r.run();
        }
    }

    @Test
    void acksOneReturnsAfterTheWriteAndAcksAllWaitsForTheFsync() throws IOException {
        open(Map.of(), queued::add);
        AppendResult r = log.append(TestBatches.plain(1, 1, 10));
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(log.recoveryPoint()).isZero(); // written, not yet durable
        assertThat(log.read(0, 1000, false).records().sizeInBytes()).isPositive(); // but readable

        CompletableFuture<Void> durable = log.flushUpTo(r.lastOffset() + 1);
        assertThat(durable).isNotDone();
        runQueued();
        assertThat(durable).isCompleted();
        assertThat(log.recoveryPoint()).isEqualTo(1);
        assertThat(log.flushUpTo(1)).isCompleted(); // already durable: no new fsync
        assertThat(queued).isEmpty();
    }

    @Test
    void aFlushAskedHereWhileIdleRunsOnTheCallerAndOneAskedWhileBusyQueues() throws IOException {
        open(Map.of(), queued::add);
        AppendResult first = log.append(TestBatches.plain(1, 1, 10));
        CompletableFuture<Void> here = log.flushUpToHereIfIdle(first.lastOffset() + 1);
        assertThat(here).isCompleted(); // fsynced on this thread: no task for the flush executor
        assertThat(queued).isEmpty();
        assertThat(log.recoveryPoint()).isEqualTo(1);
        assertThat(log.fsyncCount()).isEqualTo(1);

        AppendResult second = log.append(TestBatches.plain(1, 1, 10));
        CompletableFuture<Void> pooled = log.flushUpTo(second.lastOffset() + 1);
        assertThat(pooled).isNotDone(); // an fsync is now owed to the executor: the flusher is busy
        AppendResult third = log.append(TestBatches.plain(1, 1, 10));
        CompletableFuture<Void> behind = log.flushUpToHereIfIdle(third.lastOffset() + 1);
        assertThat(behind).isNotDone(); // not run here while the executor's fsync is pending
        assertThat(queued).hasSize(1);
        runQueued();
        assertThat(pooled).isCompleted();
        assertThat(behind).isCompleted();
        assertThat(log.fsyncCount()).isEqualTo(2); // one fsync covered both
    }

    @Test
    void requestsQueuedBehindOneFlushShareOneFsync() throws IOException {
        open(Map.of(), queued::add);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AppendResult r = log.append(TestBatches.plain(1, 1, 10));
            futures.add(log.flushUpTo(r.lastOffset() + 1));
        }
        assertThat(queued).hasSize(1);
        runQueued();
        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThat(log.fsyncCount()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(10);
    }

    @Test
    void concurrentProducersShareFsyncs() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService flusherThread = Executors.newSingleThreadExecutor();
        try {
            open(
                    Map.of(),
                    r -> flusherThread.execute(() -> {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        r.run();
                    }));
            int producers = 8;
            CountDownLatch requested = new CountDownLatch(producers);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                acks.add(ack);
                pool.execute(() -> {
                    AppendResult r = log.append(TestBatches.plain(1, 2, 20));
                    log.flushUpTo(r.lastOffset() + 1).whenComplete((v, t) -> {
                        if (t == null) {
                            ack.complete(null);
                        } else {
                            ack.completeExceptionally(t);
                        }
                    });
                    requested.countDown();
                });
            }
            assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(acks).noneMatch(CompletableFuture::isDone);
            gate.countDown();
            CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            assertThat(log.fsyncCount()).isEqualTo(1);
            assertThat(log.recoveryPoint()).isEqualTo(16);
        } finally {
            gate.countDown(); // never leave the flusher thread parked
            flusherThread.shutdown();
        }
    }

    @Test
    void manyAppendersWithRealFlusherAllGetDurableAcks() throws Exception {
        ExecutorService flusher = Executors.newSingleThreadExecutor();
        try {
            open(Map.of("segment.bytes", "20000"), flusher);
            int threads = 6;
            int perThread = 40;
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < perThread; i++) {
                                AppendResult r = log.append(TestBatches.plain(1, 1, 30));
                                log.flushUpTo(r.lastOffset() + 1).join();
                                assertThat(log.recoveryPoint()).isGreaterThan(r.lastOffset());
                            }
                        },
                        pool));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(log.logEndOffset()).isEqualTo(threads * perThread);
            assertThat(log.recoveryPoint()).isEqualTo(threads * perThread);
            assertThat(log.fsyncCount()).isLessThanOrEqualTo(threads * perThread);
        } finally {
            flusher.shutdown();
        }
    }

    @Test
    void flushMessagesTriggersAFlushWithoutBeingAsked() throws IOException {
        open(Map.of("flush.messages", "3"), queued::add);
        log.append(TestBatches.plain(1, 1, 10));
        log.append(TestBatches.plain(1, 1, 10));
        assertThat(queued).isEmpty();
        log.append(TestBatches.plain(1, 1, 10));
        assertThat(queued).hasSize(1);
        runQueued();
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void flushMsFlushesOnceTheIntervalHasPassed() throws IOException {
        open(Map.of("flush.ms", "1000"), queued::add);
        log.append(TestBatches.plain(1, 1, 10));
        log.maybeFlushByTime();
        assertThat(queued).isEmpty();
        time.advanceMs(1000);
        log.maybeFlushByTime();
        runQueued();
        assertThat(log.recoveryPoint()).isEqualTo(1);
    }

    @Test
    void rollFlushesTheOldSegmentInTheBackground() throws IOException {
        open(Map.of("segment.bytes", "300"), queued::add);
        for (int i = 0; i < 5; i++) {
            log.append(TestBatches.plain(1, 1, 60));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(queued).isNotEmpty();
        runQueued();
        assertThat(log.recoveryPoint())
                .isGreaterThanOrEqualTo(log.segmentBaseOffsets().get(1));
    }

    @Test
    void closeCompletesPendingFlushes() throws IOException {
        open(Map.of(), queued::add);
        AppendResult r = log.append(TestBatches.plain(1, 1, 10));
        CompletableFuture<Void> f = log.flushUpTo(r.lastOffset() + 1);
        log.close();
        await().atMost(Duration.ofSeconds(5)).until(f::isDone);
        assertThat(f).isCompleted();
        assertThat(log.append(TestBatches.plain(1, 1, 10)).error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        runQueued(); // the queued flusher run finds nothing to do
        log = null;
    }
}
