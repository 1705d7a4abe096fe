package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's client part, on the turn's broker: our consumer against KafkaConsumer (what
 * {@code consumer} measures: {@link Load#consume}, every record checked once, no group) and our
 * producer against KafkaProducer (what {@code producer} measures: {@link ProducerBench#measure},
 * first send to end of flush, every acknowledgement counted), 100 B records on 3 partitions
 * (those modes' default), each client warmed up first and the order alternating per round. A
 * client figure's "tributary" and "apache" samples are the two clients on the named broker. Each
 * measured pass starts once the JIT has gone quiet after its warm-up ({@link JitSettle}).
 * Main thread.
 */
final class SuiteClients {
    private static final int PARTITIONS = 3;
    private static final int SIZE = 100;
    /** A warm-up pass during which the JIT compiled this long is followed by another. */
    private static final long JIT_BUSY_MS = 250;

    private static final int MAX_WARMUPS = 4;

    private final SuiteSettings settings;
    private final SuiteFigures figures;

    SuiteClients(SuiteSettings settings, SuiteFigures figures) {
        this.settings = settings;
        this.figures = figures;
    }

    void run(SuiteSession session, ChildBroker broker, String who, int round) throws InterruptedException {
        long records = settings.recordsClients();
        // Each client's warm-up pass is as long as its measured one: after 50k records our consumer's first
        // measured pass in a round ran at 460k records/s and its next at 3.8M (the bench JVM's C2 still
        // compiling its decode loop), so the figure was the JIT's. Both clients get the same.
        long warmup = records;
        DataSet data = new DataSet(42, SIZE);
        Map<String, Object> producerSettings = Load.producerDefaults("none");
        boolean loaded = session.step("clients: load", () -> {
            Load.createTopic(broker, "clients-warmup", PARTITIONS);
            Load.createTopic(broker, "clients", PARTITIONS);
            for (Measurement m : List.of(
                    Load.produce(broker, "clients-warmup", warmup, data, producerSettings, round),
                    Load.produce(broker, "clients", records, data, producerSettings, round))) {
                check(m);
            }
        });
        String consumerFigure = "our consumer / KafkaConsumer on " + who + ", 100 B, " + PARTITIONS + " partitions";
        Map<String, Object> consumerSettings = new LinkedHashMap<>(ThroughputBench.consumerDefaults());
        for (ConsumerClient client : inOrder(
                round, List.<ConsumerClient>of(new TributaryConsumerClient(100), new ApacheConsumerClient(100)))) {
            if (!loaded) {
                break;
            }
            session.step("consume with " + client.name() + " consumer", () -> {
                Warm warm = warmUp(() -> check(
                        Load.consume(broker, client, "clients-warmup", PARTITIONS, warmup, consumerSettings, round)));
                long compiled = JitSettle.compiledMs();
                Measurement m =
                        check(Load.consume(broker, client, "clients", PARTITIONS, records, consumerSettings, round));
                figures.add(consumerFigure, "records/s", false, client.name(), m.recordsPerSec());
                log(client.name() + " consumer", m, warm, JitSettle.compiledMs() - compiled);
            });
        }
        String producerFigure =
                "our producer / KafkaProducer on " + who + ", 100 B acks=all, " + PARTITIONS + " partitions";
        for (String client : inOrder(round, List.of("tributary", "apache"))) {
            session.step("produce with " + client + " producer", () -> {
                int[] pass = {0};
                Warm warm = warmUp(() -> produce(broker, client, "producer-" + client + "-" + pass[0]++, data, warmup));
                long compiled = JitSettle.compiledMs();
                Measurement m = produce(broker, client, "producer-" + client + "-" + pass[0], data, records);
                figures.add(producerFigure, "records/s", false, client, m.recordsPerSec());
                log(client + " producer", m, warm, JitSettle.compiledMs() - compiled);
            });
        }
    }

    /** How a client was warmed up: passes run, and how long the JIT then took to go quiet. */
    private record Warm(int passes, long quietAfterMs) {}

    /**
     * Runs {@code pass} until the JIT compiled less than {@link #JIT_BUSY_MS} during one (at most
     * {@link #MAX_WARMUPS} passes), then waits for the JIT to go quiet: one pass as long as the
     * measured one left the bench JVM's C2 compiling 1.5 s of a 2 s measured pass that followed
     * (round 0, our producer: 1.01M records/s, against 1.42M in round 1 with 58 ms compiled).
     */
    private static Warm warmUp(SuiteSession.Step pass) throws Exception {
        int passes = 0;
        long compiled;
        do {
            long before = JitSettle.compiledMs();
            pass.run();
            passes++;
            compiled = JitSettle.compiledMs() - before;
        } while (compiled >= JIT_BUSY_MS && passes < MAX_WARMUPS);
        return new Warm(passes, JitSettle.await());
    }

    private static Measurement produce(ChildBroker broker, String client, String topic, DataSet data, long count)
            throws Exception {
        Load.createTopic(broker, topic, PARTITIONS);
        ProducerBench.Client producer = client.equals("tributary")
                ? ProducerBench.tributary(ProducerBench.config(broker, "all"))
                : ProducerBench.apache(ProducerBench.config(broker, "all"));
        return check(ProducerBench.measure(broker, client, producer, topic, data, count)
                .m());
    }

    private static void log(String what, Measurement m, Warm warm, long compiledDuringMs) {
        SuiteSession.log(
                "  %-40s %s records/s (%d warm-up pass%s, JIT quiet %d ms later, compiled %d ms during)",
                what,
                Table.num(m.recordsPerSec()),
                warm.passes(),
                warm.passes() == 1 ? "" : "es",
                warm.quietAfterMs(),
                compiledDuringMs);
    }

    /** a, b on even rounds, b, a on odd ones. */
    private static <T> List<T> inOrder(int round, List<T> both) {
        List<T> order = new ArrayList<>(both);
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private static Measurement check(Measurement m) {
        if (m.problem() != null) {
            throw new IllegalStateException(m.client() + " " + m.phase() + ": " + m.problem());
        }
        return m;
    }
}
