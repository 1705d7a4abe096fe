package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.TributaryProcess;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.tls.TestCertificates;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4: 100 consumers fetch a topic of {@code mib} MiB each, all at once (one Fetch each, asking for
 * everything), from our broker in a child JVM with an explicit small heap ({@code -Xmx256m}) and direct memory
 * ({@code -XX:MaxDirectMemorySize=64m}). The broker must survive and serve other clients meanwhile; every
 * consumer must get every record with a valid batch CRC. The consumers stream the response through a 64 KiB
 * buffer (an Apache consumer would buffer each 50 MiB response whole, 5 GB in the test JVM). The peak heap is
 * read from the child's GC log (occupancy before each collection) and jcmd GC.heap_info at the end.
 */
class MemoryBoundTest {
    private static final int CONSUMERS = 100;
    private static final int VALUE_BYTES = 64 * 1024;
    private static final Pattern PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hundredConsumersFetchingAtOnceStayWithinASmallHeap() throws Exception {
        run(5);
    }

    @Test
    @Tag("long")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void hundredConsumersFetchingFiftyMibEach() throws Exception {
        run(Integer.getInteger("memory.mib", 50));
    }

    /**
     * The same over TLS, where sendfile cannot apply: each fetch used to be read whole into one direct buffer
     * (100 x 5 MiB against 64 MiB of direct memory failed); log slices now go out in 64 KiB chunks as the socket
     * drains.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void hundredTlsConsumersFetchingAtOnceStayWithinSmallHeapAndDirectMemory() throws Exception {
        run(5, true);
    }

    @Test
    @Tag("long")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void hundredTlsConsumersFetchingFiftyMibEach() throws Exception {
        run(Integer.getInteger("memory.mib", 50), true);
    }

    private void run(int mib) throws Exception {
        run(mib, false);
    }

    private void run(int mib, boolean tls) throws Exception {
        Path gcLog = Files.createTempFile("tributary-gc-", ".log");
        List<String> jvm = List.of("-Xmx256m", "-XX:MaxDirectMemorySize=64m", "-Xlog:gc:file=" + gcLog);
        Map<String, Integer> sslPort = tls ? SecureBrokers.freePorts(List.of(SecureBrokers.SSL)) : Map.of();
        Map<String, String> settings = tls ? SecureBrokers.tributarySettings(sslPort) : Map.of();
        SSLContext trust = tls ? trustTestCa() : null;
        try (TributaryProcess broker = TributaryProcess.start(dataDir.resolve("data"), settings, jvm)) {
            Connector connect = tls
                    ? id -> WireClient.tls(broker.host(), sslPort.get(SecureBrokers.SSL), id, trust)
                    : id -> new WireClient(broker.host(), broker.port(), id);
            String topic = "bulk";
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
            int records = mib * 1024 * 1024 / VALUE_BYTES;
            try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
                for (int i = 0; i < records; i++) {
                    byte[] value = new byte[VALUE_BYTES];
                    value[0] = (byte) i;
                    p.send(new ProducerRecord<>(topic, value));
                }
                p.flush();
            }
            ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int i = 0; i < CONSUMERS; i++) {
                    int n = i;
                    results.add(pool.submit(() -> fetchAll(connect, topic, n, go)));
                }
                go.countDown();
                try (WireClient other = connect.open("bystander")) {
                    assertThat(other.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 0)
                                    .errorCode)
                            .as("another client is served during the fetches")
                            .isZero();
                }
                long bytes = 0;
                for (Future<long[]> f : results) {
                    long[] r = f.get(20, TimeUnit.MINUTES);
                    assertThat(r[0]).as("records a consumer received").isEqualTo(records);
                    assertThat(r[1]).as("last offset a consumer received").isEqualTo(records - 1);
                    bytes += r[2];
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(broker.isAlive()).isTrue();
                long endUsedMib = heapUsedMib(broker.pid());
                long[] gc = beforeGc(gcLog);
                long peakMib = gc[0];
                System.out.println("memory" + (tls ? " (TLS)" : "") + ": consumers " + CONSUMERS + " x " + mib
                        + " MiB at once (" + bytes / (1024 * 1024)
                        + " MiB in " + ms + " ms), broker -Xmx256m survived, peak heap "
                        + Math.max(peakMib, endUsedMib) + " MiB (max before a GC " + peakMib
                        + " MiB over " + gc[1] + " collections, after the fetches " + endUsedMib + " MiB)");
                assertThat(Math.max(peakMib, endUsedMib)).isLessThanOrEqualTo(256);
            } finally {
                pool.shutdownNow();
            }
            assertThat(broker.diagnostics()).doesNotContain("OutOfMemoryError");
        } finally {
            Files.deleteIfExists(gcLog);
        }
    }

    /**
     * One Fetch v4 for the whole partition, its response streamed: returns {records, last offset, record bytes}.
     * Every batch's CRC-32C is checked as its bytes go by.
     */
    private static long[] fetchAll(Connector connect, String topic, int n, CountDownLatch go) throws Exception {
        try (WireClient c = connect.open("consumer-" + n)) {
            FetchRequestData req = new FetchRequestData()
                    .setReplicaId(-1)
                    .setMaxWaitMs(0)
                    .setMinBytes(1)
                    .setMaxBytes(Integer.MAX_VALUE)
                    .setIsolationLevel((byte) 0);
            req.topics = new ArrayList<>(List.of(new FetchRequestData.FetchTopic()
                    .setTopic(topic)
                    .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                            .setPartition(0)
                            .setFetchOffset(0)
                            .setPartitionMaxBytes(Integer.MAX_VALUE))))));
            go.await();
            int corr = c.send(req, (short) 4);
            DataInputStream in = c.in();
            in.readInt();
            assertThat(in.readInt()).isEqualTo(corr);
            in.readInt(); // throttle
            assertThat(in.readInt()).isEqualTo(1);
            byte[] name = new byte[in.readShort()];
            in.readFully(name);
            assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo(topic);
            assertThat(in.readInt()).isEqualTo(1);
            in.readInt(); // partition
            assertThat(in.readShort()).as("partition error").isZero();
            in.readLong(); // high watermark
            in.readLong(); // last stable offset
            int aborted = in.readInt();
            in.skipNBytes(Math.max(0, aborted) * 16L);
            long remaining = in.readInt();
            long bytes = remaining;
            long count = 0;
            long last = -1;
            byte[] buf = new byte[64 * 1024];
            while (remaining >= 12) {
                long base = in.readLong();
                int length = in.readInt();
                remaining -= 12;
                if (length > remaining) {
                    in.skipNBytes(remaining); // a partial batch at the end, as Kafka may send
                    break;
                }
                in.readInt(); // partition leader epoch
                assertThat(in.readByte()).as("magic").isEqualTo((byte) 2);
                int crc = in.readInt();
                byte[] head = new byte[40];
                in.readFully(head);
                CRC32C sum = new CRC32C();
                sum.update(head);
                ByteBuffer h = ByteBuffer.wrap(head);
                int lastOffsetDelta = h.getInt(2);
                int batchRecords = h.getInt(36);
                long left = length - 9 - 40;
                while (left > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        throw new IOException("response ended inside a batch");
                    }
                    sum.update(buf, 0, r);
                    left -= r;
                }
                assertThat((int) sum.getValue()).as("CRC of batch at %s", base).isEqualTo(crc);
                count += batchRecords;
                last = base + lastOffsetDelta;
                remaining -= length;
            }
            return new long[] {count, last, bytes};
        }
    }

    private interface Connector {
        WireClient open(String clientId) throws IOException;
    }

    private static SSLContext trustTestCa() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(SecureBrokers.certificates().trustP12)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** {the largest heap occupancy before a collection, the number of collections}. */
    private static long[] beforeGc(Path gcLog) throws IOException {
        long peak = 0;
        long pauses = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
                pauses++;
            }
        }
        return new long[] {peak, pauses};
    }

    /** Heap in use now, from jcmd GC.heap_info (the sum of the generations' "used"). */
    private static long heapUsedMib(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        long usedK = 0;
        for (String line : out.split("\n")) {
            if (line.contains("generation") || line.contains("space") && !line.contains("Metaspace")) {
                if (line.contains("generation")) {
                    Matcher m = USED.matcher(line);
                    if (m.find()) {
                        usedK += Long.parseLong(m.group(1));
                    }
                }
            }
        }
        assertThat(out).as("jcmd output").contains("generation");
        return usedK / 1024;
    }
}
