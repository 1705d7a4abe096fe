package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 acceptance: a Kafka Streams application with {@code processing.guarantee=exactly_once_v2},
 * a repartition (selectKey then groupByKey) and a state store (the count), produces exact results,
 * also across a SIGKILL of our broker mid-run (a restart of the in-process Apache broker stands in).
 * With the record cache off, every update is emitted, so under exactly-once each word's committed
 * output is exactly 1, 2, ..., n: a record counted twice after the crash would repeat or skip a value.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaStreamsExactlyOnceTest {
    private static final int WORDS = 20;
    private static final int PER_WORD_PER_PHASE = 50;

    @TempDir
    Path dir;

    static Stream<Target> targets() {
        return TransactionsAcceptanceTest.targets();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void wordCountIsExactAcrossABrokerCrash(Target target) throws Exception {
        TributaryProcess ours = null;
        RunningBroker broker;
        if (target == Target.TRIBUTARY) {
            ours = TributaryProcess.start(dir.resolve("broker"), Target.COMMON_SETTINGS);
            broker = ours;
        } else {
            broker = target.startDedicated(Map.of());
        }
        try {
            String input = KafkaClients.uniqueTopic("streams-in");
            String output = KafkaClients.uniqueTopic("streams-out");
            KafkaClients.createTopic(broker.bootstrapServers(), input, 3);
            KafkaClients.createTopic(broker.bootstrapServers(), output, 3);
            produceWords(broker, input, 0);
            try (KafkaStreams streams = start(broker, input, output)) {
                awaitCounts(broker, output, PER_WORD_PER_PHASE);
                if (ours != null) {
                    ours.kill();
                    ours.startAgain();
                } else {
                    broker.restart();
                }
                produceWords(broker, input, 1);
                awaitCounts(broker, output, 2 * PER_WORD_PER_PHASE);
                assertThat(streams.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            }
            Map<String, List<Long>> updates = readCommitted(broker, output);
            List<Long> exact =
                    LongStream.rangeClosed(1, 2 * PER_WORD_PER_PHASE).boxed().toList();
            for (int w = 0; w < WORDS; w++) {
                assertThat(updates.get("word" + w))
                        .as("committed counts of word%d", w)
                        .isEqualTo(exact);
            }
        } finally {
            broker.close();
        }
    }

    private KafkaStreams start(RunningBroker broker, String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .selectKey((key, word) -> word)
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, KafkaClients.uniqueTopic("wordcount"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams-state").toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        // A stream thread that dies while the broker is down is replaced, as an operator would configure.
        streams.setUncaughtExceptionHandler(
                e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        return streams;
    }

    private static void produceWords(RunningBroker broker, String input, int phase) {
        try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
            int n = WORDS * PER_WORD_PER_PHASE;
            for (int i = 0; i < n; i++) {
                String key = "r" + phase + "-" + i;
                p.send(new ProducerRecord<>(input, key.getBytes(), ("word" + (i % WORDS)).getBytes()));
            }
            p.flush();
        }
    }

    private void awaitCounts(RunningBroker broker, String output, long expected) {
        await().atMost(150, TimeUnit.SECONDS)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Map<String, List<Long>> updates = readCommitted(broker, output);
                    assertThat(updates).hasSize(WORDS);
                    updates.values().forEach(v -> assertThat(v).last().isEqualTo(expected));
                });
    }

    /** Each word's committed count updates, in offset order, read from the start to the stable end. */
    private static Map<String, List<Long>> readCommitted(RunningBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Long>> out = new HashMap<>();
        try (KafkaConsumer<String, Long> c =
                new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, 3)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            await().atMost(30, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(100))) {
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
                return tps.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }
}
