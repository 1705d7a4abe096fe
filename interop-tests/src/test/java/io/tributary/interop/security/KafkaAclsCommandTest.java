package io.tributary.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.AclCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 acceptance (S1, ACLs): Apache's {@code kafka-acls.sh} ({@link AclCommand}, run in this JVM as its
 * {@code main} runs, with {@link Exit} trapped) closes a topic and a group, and a grant with it makes the SAME
 * consumers work without a restart: Apache's assigned consumer and our group consumer. The ACLs then survive a SIGKILL
 * of our broker (a child JVM) and a clean restart of Apache Kafka (the in-process node cannot be killed).
 *
 * <p>Apache's subscribed (group) consumer is not used across the grant: after a GroupAuthorizationException Kafka
 * 4.3's classic KafkaConsumer stays refused on either broker (AclEnforcementInteropTest).
 */
class KafkaAclsCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> AUTHORIZER = Map.of(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            // PLAINTEXT clients are User:ANONYMOUS: it may manage ACLs while a resource has none of its own.
            "allow.everyone.if.no.acl.found", "true");

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void grantsWorkWithoutARestartAndSurviveASigkillOfOurBroker() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(Target.COMMON_SETTINGS);
        settings.putAll(AUTHORIZER);
        TributaryProcess broker = TributaryProcess.start(dataDir, settings);
        closeables.add(broker);
        grantWithoutRestart(broker::bootstrapServers);
        broker.kill();
        broker.startAgain();
        aclsSurvived(broker::bootstrapServers);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void grantsWorkWithoutARestartAndSurviveARestartOfApacheKafka() throws Exception {
        RunningBroker broker = Target.APACHE.startDedicated(AUTHORIZER);
        closeables.add(broker);
        grantWithoutRestart(broker::bootstrapServers);
        broker.restart();
        aclsSurvived(broker::bootstrapServers);
    }

    private void grantWithoutRestart(Supplier<String> bootstrap) throws Exception {
        String b = bootstrap.get();
        KafkaClients.createTopic(b, "orders", 1);
        KafkaClients.createTopic(b, "closed", 1);
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(b, Map.of())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("orders", 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        kafkaAcls(
                b,
                "--add",
                "--allow-principal",
                "User:other",
                "--operation",
                "Read",
                "--topic",
                "orders",
                "--topic",
                "closed",
                "--group",
                "readers");

        KafkaConsumer<String, String> apache = apacheConsumer(b, "free");
        apache.assign(List.of(new TopicPartition("orders", 0)));
        await("Apache's consumer refused on " + b)
                .atMost(WAIT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> refused(() -> apache.poll(Duration.ofMillis(200))) instanceof TopicAuthorizationException);
        TributaryConsumer<String, String> ours = ourConsumer(b, "readers");
        ours.subscribe(List.of("orders"));
        RuntimeException oursRefused = await("our consumer refused on " + b)
                .atMost(WAIT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> refused(() -> ours.poll(Duration.ofMillis(200))), e -> e != null);
        assertThat(oursRefused.getMessage()).containsAnyOf("orders", "readers");

        kafkaAcls(
                b,
                "--add",
                "--allow-principal",
                "User:ANONYMOUS",
                "--operation",
                "Read",
                "--topic",
                "orders",
                "--group",
                "readers");

        assertThat(readThree(() -> valuesOf(apache.poll(Duration.ofMillis(200)))))
                .containsExactly("v0", "v1", "v2");
        assertThat(readThree(() -> valuesOf(ours.poll(Duration.ofMillis(200))))).containsExactly("v0", "v1", "v2");
        ours.commitSync();
        assertThat(kafkaAcls(b, "--list", "--topic", "orders"))
                .contains("principal=User:ANONYMOUS")
                .contains("principal=User:other")
                .contains("operation=READ");
    }

    private void aclsSurvived(Supplier<String> bootstrap) throws Exception {
        String b = bootstrap.get();
        await("the ACLs listed after the restart of " + b)
                .atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(kafkaAcls(b, "--list"))
                        .contains("name=orders")
                        .contains("name=closed")
                        .contains("name=readers"));
        KafkaConsumer<String, String> deniedStill = apacheConsumer(b, "free-closed");
        deniedStill.assign(List.of(new TopicPartition("closed", 0)));
        await("the closed topic stays closed")
                .atMost(WAIT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() ->
                        refused(() -> deniedStill.poll(Duration.ofMillis(200))) instanceof TopicAuthorizationException);
        KafkaConsumer<String, String> granted = apacheConsumer(b, "free-after");
        granted.assign(List.of(new TopicPartition("orders", 0)));
        assertThat(readThree(() -> valuesOf(granted.poll(Duration.ofMillis(200)))))
                .containsExactly("v0", "v1", "v2");
        TributaryConsumer<String, String> ours = ourConsumer(b, "readers");
        io.tributary.client.common.TopicPartition tp = new io.tributary.client.common.TopicPartition("orders", 0);
        assertThat(ours.committed(Set.of(tp), Duration.ofSeconds(30)))
                .as("the group grant survived: its committed offset is readable")
                .containsEntry(tp, new OffsetAndMetadata(3));
    }

    /** kafka-acls.sh {@code args} against {@code bootstrap}: its standard output; a non-zero exit fails. */
    static synchronized String kafkaAcls(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-acls.sh " + all + " exited " + code + ": " + message + "\n" + out);
        });
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            AclCommand.main(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
            Exit.resetExitProcedure();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static RuntimeException refused(Runnable poll) {
        try {
            poll.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static List<String> readThree(Supplier<List<String>> poll) {
        List<String> got = new ArrayList<>();
        await().atMost(WAIT).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
            try {
                got.addAll(poll.get());
            } catch (AuthorizationException | io.tributary.client.common.TributaryException e) {
                // A refusal fetched before the grant may surface once more; the deadline bounds the retries.
            }
            return got.size() >= 3;
        });
        return got;
    }

    private static List<String> valuesOf(Iterable<? extends Object> records) {
        List<String> values = new ArrayList<>();
        for (Object r : records) {
            values.add(
                    r instanceof org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> a
                            ? (String) a.value()
                            : (String) ((io.tributary.client.consumer.ConsumerRecord<?, ?>) r).value());
        }
        return values;
    }

    private KafkaConsumer<String, String> apacheConsumer(String bootstrap, String group) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        closeables.add(0, consumer);
        return consumer;
    }

    private TributaryConsumer<String, String> ourConsumer(String bootstrap, String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        c.put("fetch.max.wait.ms", "100");
        c.put("key.deserializer", io.tributary.client.serialization.StringDeserializer.class.getName());
        c.put("value.deserializer", io.tributary.client.serialization.StringDeserializer.class.getName());
        TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c);
        closeables.add(0, consumer);
        return consumer;
    }
}
