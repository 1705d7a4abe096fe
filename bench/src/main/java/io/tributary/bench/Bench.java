package io.tributary.bench;

import java.util.Arrays;

/**
 * Entry point of the side-by-side benchmarks: each subcommand starts our broker and Apache
 * Kafka in this JVM, drives both with the same clients and data, and prints figures and the
 * ratio Tributary/Apache. Not a test: nothing here runs in {@code mvn test}.
 *
 * <p>Runs on the main thread; see docs/design/bench.md for how to run it and what it measures.
 */
public final class Bench {
    private static final String USAGE = """
            usage: Bench <subcommand> [options]

              suite        issue 16's figures in one command, each with its goal: each broker in its own child JVM
                           (ours as bin/tributary broker runs it, flags and CDS archive; Apache's kafka.Kafka with
                           kafka-server-start.sh's flags on a formatted KRaft directory), driven by Apache's
                           ProducerPerformance, ConsumerPerformance and EndToEndLatency as child JVMs, plus rebalance,
                           our clients vs Apache's, and scale; turns interleaved A/B/B/A; medians, ratios, goals,
                           machine limits, load average, JSON result file
                --profile quick|full (quick: 2 rounds, 300k x 100 B, 50k x 1 KiB, members 10, 200 partitions
                                      and groups; full: 4 rounds, 2m x 100 B, 400k x 1 KiB, members 10,50, 1000)
                --rounds R  --records-100 N  --records-1k N  --latency-records N (2k quick, 10k full)
                --records-clients N (2m in both: each client part read and write, our clients vs Apache's)
                --parts tools,rebalance,clients,scale  --rebalance-members 10,50  --rebalance-repeats R (1)
                --scale-partitions N  --scale-groups N  --launcher bin/tributary
                --tributary-jvm "..." (added as TRIBUTARY_JAVA_OPTS)  --apache-jvm "..." (kafka-server-start.sh's)
                --out FILE (bench/target/suite-*.json)  --data-root DIR (bench/target/suite-data)  --skip-limits
                --produce-only (the three produce shapes, as --phases produce)
                --phases produce,consume,latency (a subset runs only those figures)
                --fetch-metrics (log each consume's fetch size, latency, records per fetch and fetch rate)

              throughput   produce then consume the same records through each broker
                --records N (1m)  --record-size B (100)  --partitions P (3)  --rounds R (1)
                --compression none|gzip|snappy|lz4|zstd (none)  --warmup N (min(records,200k))
                --seed S (42)  --producer-prop k=v ...  --consumer-prop k=v ...

              rebalance    time for a group of N consumers to settle after one more joins
                --members 1,10,50  --protocol eager,cooperative  --partitions P (2*(max members+1))
                --initial-delay-ms D (3000, Apache's default, applied to both brokers)
                --repeats R (1)  --clients apache[,tributary] (group members' consumer; apache)
                --group-protocol classic|consumer (classic; consumer = KIP-848, the broker assigns)
                --remote-assignor NAME (with consumer: the broker's first, uniform)  --consumer-prop k=v ...
                --lag-drain: instead, time to drain a skewed backlog, uniform vs lag-aware (X6; our broker)
                  --drain-members M (4)  --drain-partitions P (12)  --hot-partitions H (P/M)
                  --hot-records N (20k)  --cold-records N (500)  --cost-us C (100 per record)  --rounds R (1)

              consumer     our consumer vs Apache KafkaConsumer reading the same records from each broker
                --records N (1m; the issue's figure is 10m)  --record-size B (100)  --partitions P (3)
                --rounds R (1)  --clients tributary,apache  --poll-ms T (100)  --consumer-prop k=v ...

              security     produce and consume over PLAINTEXT and over SASL_SSL (SCRAM-SHA-512 on TLS) on each
                           broker: the SASL_SSL ratio tributary/apache and each broker's TLS/plaintext fraction
                --records N (500k)  --record-size B (100)  --partitions P (3)  --rounds R (1)

              transactions transactional produce (Apache's producer, begin/send/commit) then a read_committed read
                --records N (200k)  --per-txn N (100)  --record-size B (100)  --partitions P (3)  --rounds R (1)
              cleaner      log cleaner MB/s cleaned, and produce records/s to another topic idle vs while it cleans
                --records N (1m)  --keys K (10k)  --record-size B (100)  --segment-bytes S (8m)
                --baseline-ms T (5000)  --producer-prop k=v ...

              producer     our producer vs Apache KafkaProducer sending the same records to each broker
                --records N (500k)  --record-sizes 100,1024  --acks 1,all  --partitions P (3)  --rounds R (3)

              testkit      test broker start-up to first Metadata answer: our testkit vs Apache's
                           KafkaClusterTestKit, cold (child JVM) and warm (in this JVM)  --rounds R (5)

            common options
                --brokers tributary,apache   which brokers to compare (both)
                --broker-prop k=v            broker setting applied to both (Kafka key names)
                --tributary-prop k=v / --apache-prop k=v   setting for one broker only
            """;

    private Bench() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 1 && argv[0].equals("testkit-apache-child")) {
            TestkitBench.apacheChild();
            System.exit(0);
        }
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        Args args;
        try {
            args = Args.parse(argv, 1);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.out.println("tributary-bench " + String.join(" ", Arrays.asList(argv)));
        System.out.printf(
                "JVM %s, %d CPUs, max heap %,d MB%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        switch (argv[0]) {
            case "suite" -> new SuiteBench(args).run(String.join(" ", Arrays.asList(argv)));
            case "throughput" -> new ThroughputBench(args).run(args);
            case "rebalance" -> new RebalanceBench(args).run(args);
            case "consumer" -> new ConsumerClientBench(args).run(args);
            case "security" -> new SecurityBench(args).run(args);
            case "transactions" -> new TransactionsBench(args).run(args);
            case "cleaner" -> new CleanerBench(args).run(args);
            case "producer" -> new ProducerBench(args).run(args);
            case "testkit" -> new TestkitBench(args).run(args);
            default -> {
                System.err.println("unknown subcommand " + argv[0]);
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        // Kafka leaves non-daemon threads behind after close in some paths; the run is over.
        System.exit(0);
    }
}
