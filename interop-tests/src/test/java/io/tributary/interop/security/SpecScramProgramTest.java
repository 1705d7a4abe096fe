package io.tributary.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 acceptance (S1): the specification's SCRAM-SHA-256 consumer program, with only bootstrap servers and
 * credentials changed, consumes and commits on our broker with Debian's stock python3-confluent-kafka (librdkafka
 * 2.0.2, which doubles the client nonce in its SCRAM client-final message; Apache Kafka 4 refuses it). kcat with the
 * same library logs in with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; with the legacy nonce refused by the operator
 * the same kcat gets an authentication error.
 */
class SpecScramProgramTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String KCAT = "/usr/bin/kcat";
    private static final int RECORDS = 120;
    private static final String PLAIN_JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required" + " user_carol=\"carol-secret\";";

    @TempDir
    Path dir;

    private static EmbeddedBroker saslBroker(boolean legacyNonce) {
        return EmbeddedBroker.start(Map.of(
                "listeners",
                "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms",
                "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                PLAIN_JAAS,
                "tributary.sasl.scram.legacy.nonce.enable",
                String.valueOf(legacyNonce)));
    }

    private static void addUser(EmbeddedBroker broker, String user, String password) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers("PLAINTEXT")))) {
            // One request per mechanism: two changes of one user in a request are refused (DUPLICATE_RESOURCE).
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(
                                new UserScramCredentialUpsertion(user, new ScramCredentialInfo(m, 4096), password)))
                        .all()
                        .get(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void produce(EmbeddedBroker broker, String topic, int count) throws Exception {
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(broker.bootstrapServers("PLAINTEXT"), Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(
                                topic,
                                ("k" + i).getBytes(StandardCharsets.UTF_8),
                                ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theSpecificationsScramProgramConsumesAndCommitsWithTheStockLibrary() throws Exception {
        ExternalCommand.requireExecutable(PYTHON);
        try (EmbeddedBroker broker = saslBroker(true)) {
            addUser(broker, "myname", "mypasswd");
            KafkaClients.createTopic(broker.bootstrapServers("PLAINTEXT"), "customers", 1);
            produce(broker, "customers", RECORDS);
            // The program reads from the end when its group has no offset (librdkafka's default
            // auto.offset.reset=latest): give the group a start at 0, as an operator would with reset-offsets.
            try (Admin admin = Admin.create(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers("PLAINTEXT")))) {
                admin.alterConsumerGroupOffsets(
                                "myid",
                                Map.of(
                                        new org.apache.kafka.common.TopicPartition("customers", 0),
                                        new OffsetAndMetadata(0)))
                        .all()
                        .get(20, TimeUnit.SECONDS);
            }
            Path script = dir.resolve("scram_commit_consumer.py");
            try (InputStream in = getClass().getResourceAsStream("/spec/scram_commit_consumer.py")) {
                Files.copy(in, script);
            }
            Path out = dir.resolve("stdout.txt");
            ProcessBuilder pb = new ProcessBuilder(
                            PYTHON, script.toString(), broker.bootstrapServers("SASL_PLAINTEXT"), "myname", "mypasswd")
                    .redirectOutput(out.toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile());
            pb.environment().put("PYTHONUNBUFFERED", "1");
            Process program = pb.start();
            try {
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> messagesPrinted(out) >= RECORDS || !program.isAlive());
                assertThat(messagesPrinted(out))
                        .as("messages the program printed; stderr: %s", Files.readString(dir.resolve("stderr.txt")))
                        .isEqualTo(RECORDS);
                // Ctrl-C: the program's KeyboardInterrupt path commits synchronously, then closes.
                new ProcessBuilder("kill", "-INT", String.valueOf(program.pid()))
                        .start()
                        .waitFor();
                assertThat(program.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                program.destroyForcibly();
            }
            try (Admin admin = Admin.create(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers("PLAINTEXT")))) {
                Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets("myid")
                                .partitionsToOffsetAndMetadata()
                                .get(20, TimeUnit.SECONDS);
                // The last message's partition is committed exactly; the async commits every 50 cover the rest.
                assertThat(committed).isNotEmpty();
                assertThat(committed.values().stream()
                                .mapToLong(OffsetAndMetadata::offset)
                                .max()
                                .orElseThrow())
                        .isPositive();
            }
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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void kcatLogsInWithEveryMechanismUsingTheStockLibrary() throws Exception {
        ExternalCommand.requireExecutable(KCAT);
        try (EmbeddedBroker broker = saslBroker(true)) {
            addUser(broker, "alice", "alice-secret");
            String[][] logins = {
                {"PLAIN", "carol", "carol-secret"},
                {"SCRAM-SHA-256", "alice", "alice-secret"},
                {"SCRAM-SHA-512", "alice", "alice-secret"}
            };
            for (String[] login : logins) {
                String topic = KafkaClients.uniqueTopic("kcat-" + login[0].toLowerCase());
                List<String> sasl = sasl(login[0], login[1], login[2]);
                List<String> produce = new ArrayList<>(
                        List.of(KCAT, "-P", "-b", broker.bootstrapServers("SASL_PLAINTEXT"), "-t", topic));
                produce.addAll(sasl);
                ExternalCommand.run(
                                produce, "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60))
                        .assertSuccess();
                List<String> consume = new ArrayList<>(List.of(
                        KCAT,
                        "-C",
                        "-b",
                        broker.bootstrapServers("SASL_PLAINTEXT"),
                        "-t",
                        topic,
                        "-o",
                        "beginning",
                        "-e",
                        "-q"));
                consume.addAll(sasl);
                ExternalCommand.Result r = ExternalCommand.run(consume, new byte[0], Duration.ofSeconds(60))
                        .assertSuccess();
                assertThat(r.stdout().lines().toList()).as(login[0]).containsExactly("one", "two", "three");
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anOperatorCanRefuseTheLegacyNonceAndThenTheStockKcatCannotLogIn() throws Exception {
        ExternalCommand.requireExecutable(KCAT);
        try (EmbeddedBroker broker = saslBroker(false)) {
            addUser(broker, "alice", "alice-secret");
            List<String> cmd =
                    new ArrayList<>(List.of(KCAT, "-L", "-b", broker.bootstrapServers("SASL_PLAINTEXT"), "-m", "10"));
            cmd.addAll(sasl("SCRAM-SHA-256", "alice", "alice-secret"));
            ExternalCommand.Result r = ExternalCommand.run(cmd, new byte[0], Duration.ofSeconds(60));
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).containsIgnoringCase("authentication");
        }
    }

    private static List<String> sasl(String mechanism, String user, String password) {
        return List.of(
                "-X", "security.protocol=SASL_PLAINTEXT",
                "-X", "sasl.mechanism=" + mechanism,
                "-X", "sasl.username=" + user,
                "-X", "sasl.password=" + password);
    }
}
