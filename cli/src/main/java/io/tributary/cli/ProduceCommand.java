package io.tributary.cli;

import io.tributary.client.common.Header;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tributary produce TOPIC}: one record per input line (issue 13). The whole input is read
 * and checked before anything is sent, so a malformed line changes nothing.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Produce one record per line of stdin (or --file) to TOPIC.")
final class ProduceCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to produce to (must exist).")
    String topic;

    @Option(
            names = {"-k", "--key-separator"},
            paramLabel = "SEP",
            description = "Each line is KEY<SEP>VALUE; a line without SEP is an error.")
    String keySeparator;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "Header added to every record (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Partition to write to (default: the partitioner's choice).")
    Integer partition;

    @Option(
            names = {"-z", "--compression"},
            paramLabel = "CODEC",
            defaultValue = "none",
            description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--rate", paramLabel = "N", description = "At most N records per second.")
    Double rate;

    @Option(
            names = {"-F", "--file"},
            paramLabel = "FILE",
            description = "Read lines from FILE instead of stdin.")
    Path file;

    @Override
    public Integer call() throws Exception {
        List<Header> hs = parseHeaders();
        List<byte[][]> records = readRecords();
        try (TributaryConsumer<byte[], byte[]> probe = client.consumer(null, Map.of())) {
            List<PartitionInfo> ps = client.requireTopics(probe, List.of(topic)).get(topic);
            if (partition != null && (partition < 0 || partition >= ps.size())) {
                throw new CliException(
                        "topic " + topic + " has no partition " + partition + " (it has " + ps.size() + ")");
            }
        }
        Map<String, Object> extra = new HashMap<>();
        extra.put("compression.type", compression);
        extra.put("client.id", "tributary-cli");
        extra.put("max.block.ms", client.timeoutMs);
        TributaryProducer<byte[], byte[]> producer;
        try {
            producer = new TributaryProducer<>(
                    client.clientConfig(extra), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (TributaryException e) {
            throw new CliException("bad client configuration: " + e.getMessage(), e);
        }
        long sent = 0;
        try (producer) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            long start = System.nanoTime();
            for (byte[][] kv : records) {
                pace(start, sent);
                acks.add(producer.send(new ProducerRecord<>(topic, partition, kv[0], kv[1], hs)));
                sent++;
            }
            producer.flush();
            for (Future<RecordMetadata> f : acks) {
                f.get(client.timeoutMs, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new CliException(
                    "produce to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CliException("produce to " + topic + " not acknowledged within " + client.timeoutMs + " ms", e);
        }
        spec.commandLine().getErr().printf("produced %d record(s) to %s%n", sent, topic);
        return Main.EXIT_OK;
    }

    private void pace(long startNanos, long sent) throws InterruptedException {
        if (rate == null || rate <= 0) {
            return;
        }
        long due = startNanos + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private List<Header> parseHeaders() {
        List<Header> hs = new ArrayList<>();
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw new CliException("header is not KEY=VALUE: " + h);
            }
            hs.add(new Header(h.substring(0, eq), h.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return hs;
    }

    /** Every line as {key, value}; checked in full first so a bad line aborts before any send. */
    private List<byte[][]> readRecords() throws IOException {
        List<byte[][]> out = new ArrayList<>();
        try (InputStream in = file != null ? Files.newInputStream(file) : main.stdin();
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                byte[] key = null;
                String value = line;
                if (keySeparator != null) {
                    int at = line.indexOf(keySeparator);
                    if (at < 0) {
                        throw new CliException(
                                "line " + n + " has no key separator '" + keySeparator + "'; nothing was produced");
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + keySeparator.length());
                }
                out.add(new byte[][] {key, value.getBytes(StandardCharsets.UTF_8)});
            }
        } catch (NoSuchFileException e) {
            throw new CliException("file not found: " + file);
        }
        return out;
    }
}
