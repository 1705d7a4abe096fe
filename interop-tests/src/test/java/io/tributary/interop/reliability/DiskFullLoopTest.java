package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.errors.ApiException;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.TributaryProcess;
import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 15 item 2, the disk filling up, at the broker level (storage's {@code DiskFullTest} covers
 * one failed append inside a log): our broker runs as a child JVM while idempotent acks=all
 * producers write; each cycle lowers the child's file size limit ({@code prlimit --fsize}, the
 * {@code ulimit -f} of {@code DiskFullTest} applied to a running process) to a little above the
 * topic's segments, so appends fail part-way as on a full disk. The broker must answer
 * KAFKA_STORAGE_ERROR and stay up, keep every acknowledged record readable, and take writes again
 * when space returns: on even cycles by raising the limit while it runs, on odd cycles by a
 * SIGKILL and a restart without the limit (recovery must cut any partial batch). After each step
 * the log is audited against the acknowledgements ({@link LogAudit}).
 */
class DiskFullLoopTest {
    private static final Logger LOG = LoggerFactory.getLogger(DiskFullLoopTest.class);
    private static final int PARTITIONS = 2;
    private static final int PROBE_PRODUCER = 9;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final AtomicLong probeSequence = new AtomicLong();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFullDiskIsAStorageErrorNotACrashAndWritesResumeWhenSpaceReturns() throws Exception {
        run(2);
    }

    @Test
    @Tag("long")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void longDiskFullLoop() throws Exception {
        run(Integer.getInteger("diskfull.cycles", 10));
    }

    private void run(int cycles) throws Exception {
        assertThat(Path.of("/usr/bin/prlimit")).as("util-linux prlimit").isExecutable();
        long seed = Long.getLong("crashloop.seed", System.nanoTime());
        Random random = new Random(seed);
        String topic = KafkaClients.uniqueTopic("diskfull");
        AckLedger ledger = new AckLedger(PARTITIONS);
        List<Long> recoveryMs = new ArrayList<>();
        int survived = 0;
        int storageErrors = 0;
        try (TributaryProcess broker = TributaryProcess.start(dataDir, Map.of())) {
            String bootstrap = broker.bootstrapServers();
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            try (PacedProducers producers = new PacedProducers(bootstrap, topic, PARTITIONS, 1, 500, ledger);
                    TributaryProducer<byte[], byte[]> probe = probeProducer(bootstrap);
                    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                for (int cycle = 1; cycle <= cycles; cycle++) {
                    String where = "cycle " + cycle + " of " + cycles + " (seed " + seed + ")";
                    long ackedBefore = ledger.count();
                    await(where + ": records acknowledged before the disk fills")
                            .atMost(SETTLE)
                            .until(() -> ledger.count() >= ackedBefore + 200);
                    long limit = largestSegment(topic) + 16_384 + random.nextInt(49_152);
                    prlimit(childPid(), Long.toString(limit));

                    await(where + ": a produce answered KAFKA_STORAGE_ERROR once the limit of " + limit + " is hit")
                            .atMost(SETTLE)
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> isStorageError(probe(probe, topic, ledger)));
                    storageErrors++;
                    assertThat(broker.isAlive())
                            .as("%s: broker alive on a full disk\n%s", where, broker.diagnostics())
                            .isTrue();
                    assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                            .as("%s: Metadata answered on a full disk", where)
                            .hasSize(1);
                    assertThat(LogAudit.audit(bootstrap, topic, PARTITIONS, ledger)
                                    .violations())
                            .as("%s: log read on a full disk", where)
                            .isEmpty();

                    long start = System.nanoTime();
                    long ackedAtFull = ledger.count();
                    ledger.mark(start);
                    if (cycle % 2 == 0) {
                        prlimit(childPid(), "unlimited");
                    } else {
                        broker.kill();
                        broker.startAgain(); // a new process, without the limit
                    }
                    await(where + ": writes resume when space returns")
                            .atMost(SETTLE)
                            .pollInterval(Duration.ofMillis(5))
                            .until(() -> ledger.firstAckAfterMark() != 0);
                    recoveryMs.add(TimeUnit.NANOSECONDS.toMillis(ledger.firstAckAfterMark() - start));
                    await(where + ": the idempotent producers catch up")
                            .atMost(SETTLE)
                            .until(() -> ledger.count() >= ackedAtFull + 200);
                    assertThat(probe(probe, topic, ledger))
                            .as("%s: a produce after space returned", where)
                            .isNull();
                    assertThat(LogAudit.audit(bootstrap, topic, PARTITIONS, ledger)
                                    .violations())
                            .as("%s: log after space returned\n%s", where, broker.diagnostics())
                            .isEmpty();
                    assertThat(producers.failures())
                            .as("%s: failed sends", where)
                            .isEmpty();
                    survived = cycle;
                }
            } finally {
                String summary = String.format(
                        "disk-full loop: cycles survived %d/%d, storage errors answered %d, records acknowledged %d,"
                                + " recovery ms (space back to first acknowledged produce) %s",
                        survived, cycles, storageErrors, ledger.count(), recoveryMs);
                LOG.info(summary);
                System.out.println(summary);
            }
            assertThat(LogAudit.audit(bootstrap, topic, PARTITIONS, ledger).violations())
                    .as("after the producers flushed")
                    .isEmpty();
        }
        assertThat(survived).isEqualTo(cycles);
    }

    /** One record with no retries, so a storage error reaches us as itself; null if it succeeded. */
    private Throwable probe(TributaryProducer<byte[], byte[]> probe, String topic, AckLedger ledger) throws Exception {
        String id = LogAudit.id(PROBE_PRODUCER, probeSequence.getAndIncrement());
        try {
            RecordMetadata m = probe.send(new ProducerRecord<>(topic, 0, id.getBytes(), LogAudit.value(id)))
                    .get(30, TimeUnit.SECONDS);
            ledger.acked(m.partition(), m.offset(), id);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Our producer reports a broker error code as an {@link ApiException} carrying it. */
    private static boolean isStorageError(Throwable t) {
        return t instanceof ApiException e && e.error() == Errors.KAFKA_STORAGE_ERROR;
    }

    private static TributaryProducer<byte[], byte[]> probeProducer(String bootstrap) {
        return KafkaClients.ourProducer(
                bootstrap,
                Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                        ProducerConfig.RETRIES_CONFIG, "0",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                        ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"));
    }

    private long largestSegment(String topic) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            long largest = 0;
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-"))
                    .toList()) {
                largest = Math.max(largest, Files.size(p));
            }
            return largest;
        }
    }

    /**
     * The broker child of this JVM that runs on this test's data directory. Its command line is
     * read from /proc: {@code ProcessHandle.Info} gives up on command lines as long as ours.
     */
    private long childPid() {
        return ProcessHandle.current()
                .children()
                .filter(h -> {
                    try {
                        byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
                        return Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"))
                                .contains(dataDir.toString());
                    } catch (IOException e) {
                        return false; // exited meanwhile
                    }
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no broker child on " + dataDir))
                .pid();
    }

    private static void prlimit(long pid, String soft) throws Exception {
        Process p = new ProcessBuilder(
                        "/usr/bin/prlimit", "--pid", Long.toString(pid), "--fsize=" + soft + ":unlimited")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit: %s", out).isZero();
        LOG.info("file size limit of {} set to {}", pid, soft);
    }
}
