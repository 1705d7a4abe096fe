package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.TributaryBroker;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.SaslAuthenticateRequestData;
import io.tributary.protocol.message.SaslAuthenticateResponseData;
import io.tributary.protocol.message.SaslHandshakeRequestData;
import io.tributary.protocol.message.SaslHandshakeResponseData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S1, issue 9 item 2: a SASL_PLAINTEXT listener beside a PLAINTEXT one, with Apache's producer, consumer group and
 * AdminClient logging in with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 over real sockets; wrong passwords, unknown
 * users, removed users and clients that skip the handshake are refused.
 */
class SaslListenerTest {
    static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_carol=\"carol-secret\" user_admin=\"admin-secret\";";

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            "listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS,
            "connection.failed.authentication.delay.ms", "50"));

    private String sasl() {
        return "127.0.0.1:" + fixture.get().boundPort("SASL_PLAINTEXT");
    }

    static Map<String, Object> saslClient(String bootstrap, String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", mechanism);
        c.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return c;
    }

    private void addUsers(TributaryBroker broker) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.boundPort("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(
                                    "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "alice-pw"),
                            new UserScramCredentialUpsertion(
                                    "bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "bob-pw")))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void kafkaClientsProduceAndConsumeInAGroupWithEachMechanism() throws Exception {
        addUsers(fixture.get());
        String[][] logins = {
            {"PLAIN", "carol", "carol-secret"},
            {"SCRAM-SHA-256", "alice", "alice-pw"},
            {"SCRAM-SHA-512", "bob", "bob-pw"}
        };
        for (String[] login : logins) {
            String topic = "sasl-" + login[0].toLowerCase();
            Map<String, Object> p = saslClient(sasl(), login[0], login[1], login[2]);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, login[1] + i))
                            .get(20, TimeUnit.SECONDS);
                }
            }
            Map<String, Object> c = saslClient(sasl(), login[0], login[1], login[2]);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < 5 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        got.add(r.value());
                    }
                }
                consumer.commitSync();
            }
            assertThat(got)
                    .as(login[0])
                    .containsExactly(login[1] + 0, login[1] + 1, login[1] + 2, login[1] + 3, login[1] + 4);
        }
    }

    @Test
    void wrongPasswordsUnknownUsersAndRemovedUsersGetAnAuthenticationError() throws Exception {
        TributaryBroker broker = fixture.get();
        addUsers(broker);
        String[][] bad = {
            {"PLAIN", "carol", "nope"}, {"PLAIN", "mallory", "x"},
            {"SCRAM-SHA-256", "alice", "nope"}, {"SCRAM-SHA-256", "mallory", "x"},
            {"SCRAM-SHA-512", "alice", "alice-pw"} // alice has no SHA-512 credential
        };
        for (String[] login : bad) {
            assertAuthenticationFails(login[0], login[1], login[2]);
        }
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.boundPort("PLAINTEXT")))) {
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
        assertAuthenticationFails("SCRAM-SHA-256", "alice", "alice-pw");
    }

    private void assertAuthenticationFails(String mechanism, String user, String password) {
        Map<String, Object> c = saslClient(sasl(), mechanism, user, password);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20000);
        try (Admin admin = Admin.create(c)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .as("%s %s", mechanism, user)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause()
                    .message()
                    .contains("Authentication failed");
        }
    }

    @Test
    void aClientThatSkipsTheHandshakeIsDisconnectedUnanswered() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            c.send(new MetadataRequestData().setTopics(null), (short) 4);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void anUnsupportedMechanismIsAnsweredWithTheEnabledOnesThenClosed() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            SaslHandshakeResponseData r = c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("GSSAPI"), new SaslHandshakeResponseData(), (short) 1);
            assertThat(r.errorCode).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(r.mechanisms).containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void handshakeV0SwitchesToRawTokensAsOldClientsUse() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            SaslHandshakeResponseData r = c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 0);
            assertThat(r.errorCode).isZero();
            c.sendRaw("\0carol\0carol-secret".getBytes(StandardCharsets.UTF_8));
            // PLAIN's success is an empty token frame: size 0.
            assertThat(c.receiveRaw()).isEmpty();
            var m = c.roundTrip(
                    new MetadataRequestData().setTopics(null),
                    new io.tributary.protocol.message.MetadataResponseData(),
                    (short) 4);
            assertThat(m.brokers).hasSize(1);
        }
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 0);
            c.sendRaw("\0carol\0wrong".getBytes(StandardCharsets.UTF_8));
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aHugeTokenBeforeAuthenticationClosesTheConnectionAndTheBrokerKeepsServing() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 1);
            // A SaslAuthenticate frame announcing 100 MB: refused by its size before any of it is buffered.
            c.writeBytes(new byte[] {0x06, 0x40, 0, 0});
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SASL_PLAINTEXT"))) {
            c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 1);
            SaslAuthenticateResponseData a = c.roundTrip(
                    new SaslAuthenticateRequestData()
                            .setAuthBytes("\0carol\0carol-secret".getBytes(StandardCharsets.UTF_8)),
                    new SaslAuthenticateResponseData(),
                    (short) 2);
            assertThat(a.errorCode).isZero();
        }
    }

    @Test
    void saslApisOnAPlaintextListenerAreAnIllegalState() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("PLAINTEXT"))) {
            SaslHandshakeResponseData r = c.roundTrip(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 1);
            assertThat(r.errorCode).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
        }
    }
}
