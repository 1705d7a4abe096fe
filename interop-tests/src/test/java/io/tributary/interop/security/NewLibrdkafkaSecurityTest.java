package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_SSL;
import static io.tributary.interop.support.SecureBrokers.SCRAM_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.SCRAM_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.NewLibrdkafka;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 acceptance (S1), with a current librdkafka ({@value NewLibrdkafka#VERSION}, built by
 * {@code interop-tests/tools/build-librdkafka.sh}) loaded into Debian's own {@code kcat} and
 * {@code /usr/bin/python3} confluent_kafka through {@code LD_LIBRARY_PATH}: kcat round-trips with
 * SCRAM-SHA-256 and SCRAM-SHA-512 (SASL_PLAINTEXT and SASL_SSL), and the specification's SCRAM
 * program consumes and commits, on our broker AND on Apache Kafka configured the same way — the
 * newer library logs in to Apache Kafka, where the stock one cannot ({@link KcatSecurityTest}).
 *
 * <p>Tagged {@code long} (left out by default; {@code -Dtributary.excludedGroups= -Dgroups=long}).
 * A missing build fails with the command that makes it; it is never skipped.
 */
@Tag("long")
class NewLibrdkafkaSecurityTest {
    private static final int RECORDS = 120;
    private static final String SPEC_USER = "myname";
    private static final String SPEC_PASSWORD = "mypasswd";

    static Path libDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireTheNewLibrary() throws Exception {
        libDir = NewLibrdkafka.requireLibDir();
        assertThat(NewLibrdkafka.kcatVersion(libDir)).isEqualTo(NewLibrdkafka.VERSION);
        assertThat(NewLibrdkafka.pythonVersion(libDir)).isEqualTo(NewLibrdkafka.VERSION);
    }

    static Stream<Arguments> scramLogins() {
        return Target.selected()
                .flatMap(t -> Stream.of(
                        Arguments.of(t, SASL_PLAINTEXT, "SCRAM-SHA-256"),
                        Arguments.of(t, SASL_PLAINTEXT, "SCRAM-SHA-512"),
                        Arguments.of(t, SASL_SSL, "SCRAM-SHA-512")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("scramLogins")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void kcatWithTheNewLibraryRoundTripsWithScram(Target target, String listener, String mechanism) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String topic = KafkaClients.uniqueTopic("kcat212-" + mechanism.toLowerCase());
        KafkaClients.createTopic(brokers.bootstrap(PLAINTEXT), topic, 1);
        List<String> security = Kcat.security(listener, mechanism, SCRAM_USER, SCRAM_PASSWORD, true);
        Kcat kcat = Kcat.withLibrary(libDir);
        List<String> lines = List.of("alpha", "beta", "gamma");
        kcat.produce(brokers.bootstrap(listener), topic, security, lines);
        assertThat(kcat.consumeAll(brokers.bootstrap(listener), topic, security))
                .containsExactlyElementsOf(lines);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theSpecificationsScramProgramConsumesAndCommitsWithTheNewLibrary(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        brokers.upsertScram(SPEC_USER, SPEC_PASSWORD);
        // The program's own topic and group; each target is a different broker.
        KafkaClients.createTopic(brokers.bootstrap(PLAINTEXT), "customers", 1);
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(brokers.bootstrap(PLAINTEXT), Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(
                                "customers",
                                ("k" + i).getBytes(StandardCharsets.UTF_8),
                                ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(20, TimeUnit.SECONDS);
            }
        }
        TopicPartition customers = new TopicPartition("customers", 0);
        // The program reads from the end when its group has no offset (librdkafka's default
        // auto.offset.reset=latest): give the group a start at 0, as an operator would with reset-offsets.
        try (Admin admin = brokers.plaintextAdmin()) {
            admin.alterConsumerGroupOffsets("myid", Map.of(customers, new OffsetAndMetadata(0)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }

        Path script = dir.resolve("scram_commit_consumer.py");
        try (InputStream in = getClass().getResourceAsStream("/spec/scram_commit_consumer.py")) {
            Files.copy(in, script);
        }
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(
                        ExternalCommand.requireExecutable(NewLibrdkafka.PYTHON),
                        script.toString(),
                        brokers.bootstrap(SASL_PLAINTEXT),
                        SPEC_USER,
                        SPEC_PASSWORD)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        NewLibrdkafka.applyTo(pb, libDir);
        Process program = pb.start();
        try {
            await("the program prints " + RECORDS + " messages")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> messagesPrinted(out) >= RECORDS || !program.isAlive());
            assertThat(messagesPrinted(out))
                    .as("messages the program printed; stderr: %s", Files.readString(err))
                    .isEqualTo(RECORDS);
            // Ctrl-C: the program's KeyboardInterrupt path commits synchronously, then closes.
            ExternalCommand.run(
                            List.of("kill", "-INT", String.valueOf(program.pid())), new byte[0], Duration.ofSeconds(10))
                    .assertSuccess();
            assertThat(program.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(program.exitValue())
                    .as("exit code; stderr: %s", Files.readString(err))
                    .isZero();
        } finally {
            program.destroyForcibly();
        }
        try (Admin admin = brokers.plaintextAdmin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("myid")
                    .partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS);
            // The synchronous commit of the last message: its offset + 1.
            assertThat(committed.get(customers)).isNotNull();
            assertThat(committed.get(customers).offset()).isEqualTo(RECORDS);
        }
    }

    private static long messagesPrinted(Path out) throws IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        return Files.readAllLines(out).stream()
                .filter(l -> l.contains("cimpl.Message"))
                .count();
    }
}
