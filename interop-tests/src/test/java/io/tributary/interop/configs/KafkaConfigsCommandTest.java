package io.tributary.interop.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.InvalidRecordException;
import io.tributary.client.common.errors.RecordTooLargeException;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.admin.ConfigCommand;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.runtime.BoxedUnit;

/**
 * Issue 10 acceptance (item 1, configs): Apache's {@code kafka-configs.sh} ({@code kafka.admin.ConfigCommand}, run in
 * this JVM as its main would run it) alters and deletes a topic's {@code retention.ms} and {@code cleanup.policy} and
 * a broker's dynamic {@code message.max.bytes} ({@code --entity-name} and {@code --entity-default}), on our broker
 * and on Apache Kafka started the same way. Each change takes effect without a restart (old segments are deleted, a
 * compacted topic refuses a null key, a batch over the broker's limit is refused), survives a restart of the broker
 * on the same data (Apache: its broker side, the controller keeps running), and {@code --describe --all} prints the
 * same value, sources and synonyms for a sample of keys on both.
 */
class KafkaConfigsCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long HOUR_MS = 3_600_000L;
    /** Both brokers check retention every second (a static, read-only key). */
    private static final Map<String, String> SETTINGS = Map.of("log.retention.check.interval.ms", "1000");

    /** kafka-configs.sh with {@code args} (--alter or --describe); what it prints. */
    static String kafkaConfigs(String... args) throws Exception {
        ConfigCommand.ConfigCommandOptions opts = new ConfigCommand.ConfigCommandOptions(args);
        opts.checkArgs();
        String bootstrap = opts.options.valueOf(opts.bootstrapServerOpt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Exception[] failure = new Exception[1];
            // The tool prints through Scala's Console and System.out: both are captured while it runs.
            PrintStream system = System.out;
            System.setOut(print);
            try {
                scala.Console.withOut(print, () -> {
                    try {
                        if (opts.options.has(opts.alterOpt())) {
                            ConfigCommand.alterConfig(admin, opts);
                        } else {
                            ConfigCommand.describeConfig(admin, opts);
                        }
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                    return BoxedUnit.UNIT;
                });
            } finally {
                System.setOut(system);
            }
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void kafkaConfigsChangesTopicAndBrokerConfigsLiveAndDurably(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            String topic = "configs-acceptance";
            String brokerId;
            try (Admin admin = admin(bootstrap)) {
                brokerId =
                        admin.describeCluster().nodes().get().iterator().next().idString();
                admin.createTopics(
                                List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("segment.bytes", "1048576"))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            // Three segments of records an hour old: kept under the default retention of seven days.
            try (TributaryProducer<byte[], byte[]> producer = producer(bootstrap)) {
                long old = System.currentTimeMillis() - HOUR_MS;
                for (int i = 0; i < 25; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, old, key(i), new byte[100_000]))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            assertThat(earliest(bootstrap, topic)).isZero();

            // Topic: retention.ms takes effect at once (the old segments go), then cleanup.policy (null keys
            // refused; set second because compact alone stops deletion by time).
            kafkaConfigs(alter(bootstrap, "topics", topic, "--add-config", "retention.ms=600000"));
            await(target + ": the old segments are deleted")
                    .atMost(DEADLINE)
                    .until(() -> earliest(bootstrap, topic) > 0);
            kafkaConfigs(alter(bootstrap, "topics", topic, "--add-config", "cleanup.policy=compact"));
            awaitRefused(bootstrap, topic, 10, InvalidRecordException.class, true);

            // Broker: message.max.bytes for this broker and as the cluster-wide default; this broker's wins.
            kafkaConfigs(alter(bootstrap, "brokers", brokerId, "--add-config", "message.max.bytes=2000"));
            kafkaConfigs(
                    "--bootstrap-server",
                    bootstrap,
                    "--entity-type",
                    "brokers",
                    "--entity-default",
                    "--alter",
                    "--add-config",
                    "message.max.bytes=3000");
            awaitRefused(bootstrap, topic, 2500, RecordTooLargeException.class, false);

            List<String> before = describeSample(bootstrap, topic, brokerId);
            // Apache Kafka 4.3's lines, as printed against it with the same settings.
            assertThat(before).containsExactlyElementsOf(EXPECTED_SAMPLE);

            broker.restart();

            // Survived: the same description, and the limits still hold.
            assertThat(describeSample(bootstrap, topic, brokerId)).isEqualTo(before);
            awaitRefused(bootstrap, topic, 2500, RecordTooLargeException.class, false);

            // Deleting: the topic falls back to the defaults, the broker to the cluster-wide default.
            kafkaConfigs(alter(bootstrap, "topics", topic, "--delete-config", "retention.ms,cleanup.policy"));
            kafkaConfigs(alter(bootstrap, "brokers", brokerId, "--delete-config", "message.max.bytes"));
            awaitAccepted(bootstrap, topic, null, 2500);
            awaitRefused(bootstrap, topic, 3500, RecordTooLargeException.class, false);
            kafkaConfigs(
                    "--bootstrap-server",
                    bootstrap,
                    "--entity-type",
                    "brokers",
                    "--entity-default",
                    "--alter",
                    "--delete-config",
                    "message.max.bytes");
            awaitAccepted(bootstrap, topic, null, 3500);
            List<String> after = describeSample(bootstrap, topic, brokerId);
            assertThat(after)
                    .contains(
                            "retention.ms=604800000 sensitive=false synonyms={}",
                            "cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}",
                            "message.max.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}");
        }
    }

    private static final List<String> EXPECTED_SAMPLE = List.of(
            "retention.ms=600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=600000}",
            "cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,"
                    + " DEFAULT_CONFIG:log.cleanup.policy=delete}",
            "max.message.bytes=2000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:message.max.bytes=2000,"
                    + " DYNAMIC_DEFAULT_BROKER_CONFIG:message.max.bytes=3000, DEFAULT_CONFIG:message.max.bytes=1048588}",
            "segment.bytes=1048576 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.bytes=1048576,"
                    + " DEFAULT_CONFIG:log.segment.bytes=1073741824}",
            "segment.ms=604800000 sensitive=false synonyms={}",
            "retention.bytes=-1 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.bytes=-1}",
            "delete.retention.ms=86400000 sensitive=false"
                    + " synonyms={DEFAULT_CONFIG:log.cleaner.delete.retention.ms=86400000}",
            "min.cleanable.dirty.ratio=0.5 sensitive=false synonyms={DEFAULT_CONFIG:log.cleaner.min.cleanable.ratio=0.5}",
            "message.max.bytes=2000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:message.max.bytes=2000,"
                    + " DYNAMIC_DEFAULT_BROKER_CONFIG:message.max.bytes=3000, DEFAULT_CONFIG:message.max.bytes=1048588}",
            "log.retention.ms=null sensitive=false synonyms={}",
            "log.retention.hours=168 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.hours=168}",
            "log.segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}",
            "log.retention.check.interval.ms=1000 sensitive=false"
                    + " synonyms={STATIC_BROKER_CONFIG:log.retention.check.interval.ms=1000,"
                    + " DEFAULT_CONFIG:log.retention.check.interval.ms=300000}",
            "log.cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}",
            "log.roll.ms=null sensitive=false synonyms={}");

    /** Keys whose lines must match Kafka's: the test sets the same static settings on both brokers. */
    private static final List<String> TOPIC_SAMPLE = List.of(
            "retention.ms",
            "cleanup.policy",
            "max.message.bytes",
            "segment.bytes",
            "segment.ms",
            "retention.bytes",
            "delete.retention.ms",
            "min.cleanable.dirty.ratio");

    private static final List<String> BROKER_SAMPLE = List.of(
            "message.max.bytes",
            "log.retention.ms",
            "log.retention.hours",
            "log.segment.bytes",
            "log.retention.check.interval.ms",
            "log.cleanup.policy",
            "log.roll.ms");

    /** {@code --describe --all} of the topic and the broker, only the sample keys' lines (trimmed). */
    private static List<String> describeSample(String bootstrap, String topic, String brokerId) throws Exception {
        List<String> out = new ArrayList<>();
        out.addAll(lines(
                kafkaConfigs(
                        "--bootstrap-server",
                        bootstrap,
                        "--entity-type",
                        "topics",
                        "--entity-name",
                        topic,
                        "--describe",
                        "--all"),
                TOPIC_SAMPLE));
        out.addAll(lines(
                kafkaConfigs(
                        "--bootstrap-server",
                        bootstrap,
                        "--entity-type",
                        "brokers",
                        "--entity-name",
                        brokerId,
                        "--describe",
                        "--all"),
                BROKER_SAMPLE));
        return out;
    }

    private static List<String> lines(String printed, List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            String line = printed.lines()
                    .map(String::trim)
                    .filter(l -> l.startsWith(key + "="))
                    .findFirst()
                    .orElse("(no line for " + key + ")");
            out.add(line);
        }
        return out;
    }

    private static String[] alter(String bootstrap, String type, String name, String op, String configs) {
        return new String[] {
            "--bootstrap-server", bootstrap, "--entity-type", type, "--entity-name", name, "--alter", op, configs
        };
    }

    /** Apache applies a change from its metadata log a moment after acknowledging it: hence a deadline. */
    private static void awaitRefused(
            String bootstrap, String topic, int size, Class<? extends Throwable> error, boolean nullKey) {
        await("a record of " + size + " bytes is refused with " + error.getSimpleName())
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> error.isInstance(send(bootstrap, topic, nullKey ? null : key(0), size)));
    }

    private static void awaitAccepted(String bootstrap, String topic, byte[] key, int size) {
        await("a record of " + size + " bytes is accepted")
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> send(bootstrap, topic, key, size) == null);
    }

    /** Sends one record; null when it was written, else why not. */
    private static Throwable send(String bootstrap, String topic, byte[] key, int size) throws Exception {
        try (TributaryProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, key, new byte[size])).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static long earliest(String bootstrap, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = admin(bootstrap)) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                    .partitionResult(tp)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    private static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static TributaryProducer<byte[], byte[]> producer(String bootstrap) {
        return new TributaryProducer<>(
                Map.of(
                        "bootstrap.servers", bootstrap,
                        "batch.size", "1",
                        "retries", "0",
                        "max.request.size", "2000000"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
