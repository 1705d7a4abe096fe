package io.tributary.cli;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary perf produce|consume} (issue 13): records/s, MB/s (2^20 bytes of values) and
 * latency percentiles — per send (send to acknowledgement) or per poll that returned records.
 */
@Command(
        name = "perf",
        mixinStandardHelpOptions = true,
        description = "Measure produce or consume throughput and latency.",
        subcommands = {PerfCommand.Produce.class, PerfCommand.Consume.class})
final class PerfCommand {

    @Command(name = "produce", mixinStandardHelpOptions = true, description = "Send N records of B bytes.")
    static final class Produce implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ClientOptions client = new ClientOptions();

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Option(names = "--records", defaultValue = "100000", description = "Records to send (${DEFAULT-VALUE}).")
        long records;

        @Option(names = "--record-size", defaultValue = "100", description = "Value bytes (${DEFAULT-VALUE}).")
        int recordSize;

        @Option(names = "--acks", defaultValue = "all", description = "all or 1 (${DEFAULT-VALUE}).")
        String acks;

        @Option(names = "--producer-prop", paramLabel = "KEY=VALUE", description = "Extra producer setting.")
        Map<String, String> props = new HashMap<>();

        @Override
        public Integer call() throws Exception {
            try (TributaryConsumer<byte[], byte[]> probe = client.consumer(null, Map.of())) {
                client.requireTopics(probe, List.of(topic));
            }
            Map<String, Object> extra = new HashMap<>(props);
            extra.put("acks", acks);
            extra.putIfAbsent("client.id", "tributary-perf");
            byte[] value = new byte[recordSize];
            new Random(42).nextBytes(value);
            long[] latencies = new long[(int) records];
            AtomicReference<Exception> failure = new AtomicReference<>();
            long t0;
            long t1;
            TributaryProducer<byte[], byte[]> p;
            try {
                p = new TributaryProducer<>(
                        client.clientConfig(extra), new ByteArraySerializer(), new ByteArraySerializer());
            } catch (TributaryException e) {
                throw new CliException("bad client configuration: " + e.getMessage(), e);
            }
            try (p) {
                t0 = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long sent = System.nanoTime();
                    int idx = i;
                    p.send(new ProducerRecord<>(topic, null, value), (md, e) -> {
                        latencies[idx] = System.nanoTime() - sent;
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                p.flush();
                t1 = System.nanoTime();
            }
            if (failure.get() != null) {
                throw new CliException("produce failed: " + failure.get().getMessage(), failure.get());
            }
            report(spec.commandLine().getOut(), "produce", records, (long) recordSize * records, t1 - t0, latencies);
            return Main.EXIT_OK;
        }
    }

    @Command(
            name = "consume",
            mixinStandardHelpOptions = true,
            description = "Read N records from the beginning of TOPIC (assigned, no group).")
    static final class Consume implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ClientOptions client = new ClientOptions();

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Option(names = "--records", defaultValue = "100000", description = "Records to read (${DEFAULT-VALUE}).")
        long records;

        @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE", description = "Extra consumer setting.")
        Map<String, String> props = new HashMap<>();

        @Override
        public Integer call() {
            Map<String, Object> extra = new HashMap<>(props);
            extra.putIfAbsent("client.id", "tributary-perf");
            try (TributaryConsumer<byte[], byte[]> c = client.consumer(null, extra)) {
                List<TopicPartition> tps = new ArrayList<>();
                for (PartitionInfo pi : client.requireTopics(c, List.of(topic)).get(topic)) {
                    tps.add(new TopicPartition(topic, pi.partition()));
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                List<Long> polls = new ArrayList<>();
                long got = 0;
                long bytes = 0;
                long t0 = System.nanoTime();
                long lastProgress = t0;
                while (got < records) {
                    long before = System.nanoTime();
                    int n = 0;
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        n++;
                        bytes += r.value() == null ? 0 : r.value().length;
                    }
                    long after = System.nanoTime();
                    if (n > 0) {
                        polls.add(after - before);
                        got += n;
                        lastProgress = after;
                    } else if (after - lastProgress > client.timeout().toNanos()) {
                        throw new CliException("only " + got + " of " + records + " records arrived in " + topic);
                    }
                }
                long t1 = System.nanoTime();
                long[] lat = polls.stream().mapToLong(Long::longValue).toArray();
                report(spec.commandLine().getOut(), "consume", got, bytes, t1 - t0, lat);
                return Main.EXIT_OK;
            }
        }
    }

    static void report(PrintWriter out, String what, long records, long bytes, long nanos, long[] latencies) {
        double secs = nanos / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        out.printf(
                "%s: %,d records in %.3f s: %,.0f records/s, %.2f MB/s%n",
                what, records, secs, records / secs, bytes / secs / (1 << 20));
        out.printf(
                "%s latency ms (%s): p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
                what,
                what.equals("produce") ? "send to ack" : "per poll with records",
                pct(sorted, 50),
                pct(sorted, 95),
                pct(sorted, 99),
                pct(sorted, 100));
        out.flush();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
