package io.tributary.storage;

import static io.tributary.storage.CleanerFixture.append;
import static io.tributary.storage.CleanerFixture.batch;
import static io.tributary.storage.CleanerFixture.compactConfig;
import static io.tributary.storage.CleanerFixture.latest;
import static io.tributary.storage.CleanerFixture.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.storage.CleanerFixture.Rec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash points of a swap, reads during cleaning, the I/O budget, failures, the log manager. */
class LogCleanerSafetyTest {
    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(1_000_000L);
    private final Map<TopicPartitionKey, Log> logs = new LinkedHashMap<>();
    private final TopicPartitionKey key = new TopicPartitionKey("t", 0);
    private LogCleaner cleaner;

    @AfterEach
    void closeAll() throws IOException {
        if (cleaner != null) {
            cleaner.close();
        }
        for (Log l : logs.values()) {
            l.close();
        }
    }

    /** Four small inactive segments (one cleaning group) with many overwritten keys. */
    private Log fourSegments(Map<String, String> overrides) throws IOException {
        Log log = Log.open(dataDir.resolve("t-0"), compactConfig(overrides), time);
        logs.put(key, log);
        for (int seg = 0; seg < 4; seg++) {
            for (int i = 0; i < 20; i++) {
                append(log, batch(time.milliseconds(), "k" + (i % 7), "s" + seg + "-" + i, "u" + seg + i, "x"));
            }
            log.roll(true);
        }
        append(log, batch(time.milliseconds(), "k0", "active"));
        return log;
    }

    @Test
    void aCrashAtAnyStepLeavesTheOldOrTheNewSegments() throws IOException {
        Log log = fourSegments(Map.of());
        List<Rec> before = records(log);
        Path crashes = Files.createDirectories(dataDir.resolve("crashes"));
        List<String> steps = new ArrayList<>();
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> logs);
        cleaner.hook(step -> {
            steps.add(step);
            CleanerFixture.copyDir(log.dir(), crashes.resolve(steps.size() + "-" + step));
        });
        assertThat(cleaner.cleanFilthiestLog()).isTrue();
        List<Rec> after = records(log);
        assertThat(after).hasSizeLessThan(before.size());
        assertThat(latest(after)).isEqualTo(latest(before));
        assertThat(steps)
                .containsExactly(
                        "cleaned",
                        "swap",
                        "old-renamed-0",
                        "old-renamed-40",
                        "old-renamed-80",
                        "old-renamed-120",
                        "swapped");

        // A crash while the .cleaned files were renamed .swap: indexes moved, log file not yet.
        Path torn = crashes.resolve("0-torn-rename");
        CleanerFixture.copyDir(crashes.resolve("1-cleaned"), torn);
        for (Path p : CleanerFixture.files(torn, "index.cleaned")) {
            Files.move(p, p.resolveSibling(p.getFileName().toString().replace(".cleaned", ".swap")));
        }

        List<Path> images;
        try (var s = Files.list(crashes)) {
            images = s.sorted().toList();
        }
        for (Path image : images) {
            String name = image.getFileName().toString();
            boolean beforeSwap = name.endsWith("cleaned") || name.endsWith("torn-rename");
            try (Log reopened = Log.open(image, log.config(), time)) {
                List<Rec> contents = records(reopened);
                assertThat(contents).as(name).isEqualTo(beforeSwap ? before : after);
                assertThat(reopened.logEndOffset()).as(name).isEqualTo(log.logEndOffset());
                assertThat(reopened.segmentBaseOffsets()).as(name).startsWith(0L);
                for (String suffix : List.of(".cleaned", ".swap", ".deleted")) {
                    assertThat(CleanerFixture.files(image, suffix)).as(name).isEmpty();
                }
            }
        }
    }

    @Test
    void aCrashBetweenGroupsLosesAndResurrectsNothing() throws IOException {
        // Segments too big to merge: each is its own group and its own swap, done in offset order.
        Log log = Log.open(dataDir.resolve("t-0"), compactConfig(Map.of("segment.bytes", "1500")), time);
        logs.put(key, log);
        for (int i = 0; i < 60; i++) {
            append(log, batch(time.milliseconds(), "k" + (i % 9), "v" + i, "u" + i, "x".repeat(20)));
            if (i % 9 == 4) {
                append(log, batch(time.milliseconds(), "k" + (i % 9), null));
            }
        }
        log.roll(true);
        assertThat(log.numberOfSegments()).isGreaterThan(4);
        List<Rec> before = records(log);
        Map<String, Rec> view = latest(before);
        Path crashes = Files.createDirectories(dataDir.resolve("crashes"));
        AtomicLong n = new AtomicLong();
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> logs);
        cleaner.hook(step -> CleanerFixture.copyDir(log.dir(), crashes.resolve(n.incrementAndGet() + "-" + step)));
        assertThat(cleaner.cleanFilthiestLog()).isTrue();
        List<Rec> after = records(log);
        assertThat(n.get()).isGreaterThan(12);
        List<Path> images;
        try (var s = Files.list(crashes)) {
            images = s.toList();
        }
        for (Path image : images) {
            try (Log reopened = Log.open(image, log.config(), time)) {
                List<Rec> contents = records(reopened);
                // Each group is old or new: the image lies between the old and the new log,
                // and a reader sees the same latest value per key (no tombstoned key comes back).
                assertThat(before).as(image.toString()).containsAll(contents);
                assertThat(contents).as(image.toString()).containsAll(after);
                assertThat(latest(contents)).as(image.toString()).isEqualTo(view);
            }
        }
    }

    @Test
    void readsDuringCleaningSeeEveryLatestValue() throws Exception {
        Log log = fourSegments(Map.of("min.cleanable.dirty.ratio", "0.01"));
        Map<String, String> expected = values(records(log));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong sweeps = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    assertThat(values(records(log))).isEqualTo(expected);
                    sweeps.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> logs);
        // Each round: let the reader sweep, make the log dirty again with the same values, clean.
        for (int round = 0; round < 20 && failure.get() == null; round++) {
            long target = sweeps.get() + 2;
            while (sweeps.get() < target && failure.get() == null) {
                Thread.onSpinWait();
            }
            for (Map.Entry<String, String> e : expected.entrySet()) {
                append(log, batch(time.milliseconds(), e.getKey(), e.getValue()));
            }
            log.roll(true);
            assertThat(cleaner.cleanFilthiestLog()).isTrue();
        }
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(values(records(log))).isEqualTo(expected);
        assertThat(records(log)).hasSize(expected.size());
    }

    private static Map<String, String> values(List<Rec> records) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Rec r : records) {
            m.remove(r.key());
            m.put(r.key(), r.value());
        }
        return new java.util.TreeMap<>(m);
    }

    @Test
    void theIoBudgetIsHeldInInjectedTime() throws IOException {
        Log log = Log.open(dataDir.resolve("t-0"), compactConfig(Map.of()), time);
        logs.put(key, log);
        for (int i = 0; i < 2000; i++) {
            append(log, batch(time.milliseconds(), "k" + (i % 50), "v".repeat(200)));
        }
        log.roll(true);
        double rate = 100_000;
        Throttler throttler = new Throttler(rate, time, ms -> time.advanceMs(ms));
        long start = time.milliseconds();
        Cleaner.Stats stats = new Cleaner(log, time, throttler, Cleaner.Hook.NONE, () -> false, 16 * 1024)
                .clean(0, log.logEndOffset(), 1 << 20, 0.9, false);
        long elapsedMs = time.milliseconds() - start;
        long bytes = stats.bytesRead() + stats.bytesWritten();
        assertThat(bytes).isGreaterThan(500_000);
        double observed = bytes * 1000.0 / elapsedMs;
        assertThat(observed).isBetween(rate * 0.9, rate * 1.1);
    }

    @Test
    void aFailedCleaningLeavesTheLogAsItWasAndIsRetriedAfterTheBackoff() throws IOException {
        Log log = fourSegments(Map.of());
        List<Rec> before = records(log);
        List<Long> bases = log.segmentBaseOffsets();
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> logs);
        cleaner.hook(step -> {
            if (step.equals("cleaned")) {
                throw new IOException("No space left on device");
            }
        });
        assertThat(cleaner.cleanFilthiestLog()).isFalse();
        assertThat(records(log)).isEqualTo(before);
        assertThat(log.segmentBaseOffsets()).isEqualTo(bases);
        assertThat(log.isOffline()).isFalse();
        assertThat(CleanerFixture.files(log.dir(), ".cleaned")).isEmpty();
        assertThat(cleaner.checkpointedOffset(key)).isEqualTo(-1);
        assertThat(log.append(batch(time.milliseconds(), "k1", "after")).error())
                .isEqualTo(Errors.NONE);

        cleaner.hook(Cleaner.Hook.NONE);
        assertThat(cleaner.cleanFilthiestLog()).as("backing off").isFalse();
        time.advanceMs(15_000);
        assertThat(cleaner.cleanFilthiestLog()).isTrue();
        assertThat(cleaner.checkpointedOffset(key)).isEqualTo(160);
    }

    @Test
    void theLogManagerRunsTheCleanerAndKeepsItsCheckpoint() throws IOException {
        Map<String, String> props = Map.of("log.cleaner.threads", "1", "log.cleaner.backoff.ms", "3600000");
        LogManager manager = new LogManager(dataDir, props, time);
        manager.startup();
        try {
            manager.createTopic("c", 1, Map.of("cleanup.policy", "compact"));
            Log log = manager.log("c", 0).orElseThrow();
            for (int i = 0; i < 10; i++) {
                append(log, batch(time.milliseconds(), "k", "v" + i));
            }
            log.roll(true);
            assertThat(manager.cleaner().cleanFilthiestLog()).isTrue();
            assertThat(records(log)).extracting(Rec::value).containsExactly("v9");
            assertThat(Files.readAllLines(dataDir.resolve(CleanerCheckpoint.FILE_NAME)))
                    .containsExactly("0", "1", "c 0 10");
        } finally {
            manager.close();
        }
        // After a restart the checkpoint says the log is clean: nothing to do until new data.
        manager = new LogManager(dataDir, props, time);
        manager.startup();
        try {
            Log log = manager.log("c", 0).orElseThrow();
            assertThat(records(log)).extracting(Rec::value).containsExactly("v9");
            assertThat(manager.cleaner().cleanFilthiestLog()).isFalse();
            append(log, batch(time.milliseconds(), "k", "v10"));
            log.roll(true);
            assertThat(manager.cleaner().cleanFilthiestLog()).isTrue();
            assertThat(records(log)).extracting(Rec::value).containsExactly("v10");
            manager.deleteTopic("c");
            assertThat(Files.readAllLines(dataDir.resolve(CleanerCheckpoint.FILE_NAME)))
                    .containsExactly("0", "0");
        } finally {
            manager.close();
        }
    }
}
