package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S1 end to end: the principal a SASL login establishes is the one ACLs are checked against. An admin user (a super
 * user, created with --add-scram's store path through PLAIN here) writes; alice, logged in with SCRAM, is refused
 * the topic and then the group until Kafka's AdminClient grants them, with no restart.
 */
class SaslPrincipalAclTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            "listeners", "SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_admin=\"admin-secret\";",
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users", "User:admin",
            "group.min.session.timeout.ms", "100",
            "group.initial.rebalance.delay.ms", "0"));

    private String bootstrap() {
        return "127.0.0.1:" + fixture.get().boundPort();
    }

    @Test
    void aScramUserIsAuthorizedByItsOwnPrincipal() throws Exception {
        Map<String, Object> admin = SaslListenerTest.saslClient(bootstrap(), "PLAIN", "admin", "admin-secret");
        try (Admin a = Admin.create(admin)) {
            a.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                            "alice",
                            new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                    org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096),
                            "alice-secret")))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            a.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        Map<String, Object> p = new HashMap<>(admin);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("orders", "k", "v")).get(20, TimeUnit.SECONDS);
        }

        Map<String, Object> c = SaslListenerTest.saslClient(bootstrap(), "SCRAM-SHA-256", "alice", "alice-secret");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of("orders"));
            assertThatThrownBy(() -> pollUntilError(consumer)).isInstanceOf(TopicAuthorizationException.class);
            grant(admin, ResourceType.TOPIC, "orders");
            assertThatThrownBy(() -> pollUntilError(consumer)).isInstanceOf(GroupAuthorizationException.class);
            grant(admin, ResourceType.GROUP, "billing");
        }
        // A fresh consumer after the grants: Kafka 4.3's classic consumer does not recover its group in place after a
        // GroupAuthorizationException, against Apache Kafka either (AclEnforcementInteropTest).
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of("orders"));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
            }
            assertThat(got).containsExactly("v");
            consumer.commitSync();
        }
    }

    private static void pollUntilError(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private static void grant(Map<String, Object> admin, ResourceType type, String name) throws Exception {
        try (Admin a = Admin.create(admin)) {
            a.createAcls(List.of(new AclBinding(
                            new ResourcePattern(type, name, PatternType.LITERAL),
                            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
    }
}
