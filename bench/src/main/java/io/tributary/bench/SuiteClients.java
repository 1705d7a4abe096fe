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
 * client figure's "tributary" and "apache" samples are the two clients on the named broker.
 * Main thread.
 */
final class SuiteClients {
    private static final int PARTITIONS = 3;
    private static final int SIZE = 100;

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
                check(Load.consume(broker, client, "clients-warmup", PARTITIONS, warmup, consumerSettings, round));
                Measurement m =
                        check(Load.consume(broker, client, "clients", PARTITIONS, records, consumerSettings, round));
                figures.add(consumerFigure, "records/s", false, client.name(), m.recordsPerSec());
                SuiteSession.log("  %-40s %s records/s", client.name() + " consumer", Table.num(m.recordsPerSec()));
            });
        }
        String producerFigure =
                "our producer / KafkaProducer on " + who + ", 100 B acks=all, " + PARTITIONS + " partitions";
        for (String client : inOrder(round, List.of("tributary", "apache"))) {
            session.step("produce with " + client + " producer", () -> {
                for (int pass = 0; pass < 2; pass++) {
                    long count = pass == 0 ? warmup : records;
                    String topic = "producer-" + client + "-" + pass;
                    Load.createTopic(broker, topic, PARTITIONS);
                    ProducerBench.Client producer = client.equals("tributary")
                            ? ProducerBench.tributary(ProducerBench.config(broker, "all"))
                            : ProducerBench.apache(ProducerBench.config(broker, "all"));
                    Measurement m = check(ProducerBench.measure(broker, client, producer, topic, data, count)
                            .m());
                    if (pass == 1) {
                        figures.add(producerFigure, "records/s", false, client, m.recordsPerSec());
                        SuiteSession.log("  %-40s %s records/s", client + " producer", Table.num(m.recordsPerSec()));
                    }
                }
            });
        }
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
