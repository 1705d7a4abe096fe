package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.TributaryBroker;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.tls.TestCertificates;
import java.nio.file.Path;
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
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S1, issue 9 item 5: SSL and SASL_SSL listeners (OpenSSL here) with Apache's clients over real TLS, with
 * certificates this test makes: producing and consuming in a group (records come from log segments, so the fetch
 * path that cannot use sendfile under TLS is exercised), the client certificate's subject as principal with
 * ssl.client.auth=required, and plaintext clients on a TLS port refused while the broker keeps serving.
 */
class TlsListenerTest {
    @TempDir
    static Path certDir;

    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(certDir);
    }

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            "listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0,MTLS://127.0.0.1:0",
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,MTLS:SSL",
            "ssl.keystore.location", certs.serverP12.toString(),
            "ssl.keystore.password", TestCertificates.PASSWORD,
            "ssl.keystore.type", "PKCS12",
            "listener.name.mtls.ssl.client.auth", "required",
            "listener.name.mtls.ssl.truststore.location", certs.trustP12.toString(),
            "listener.name.mtls.ssl.truststore.password", TestCertificates.PASSWORD,
            "listener.name.mtls.ssl.truststore.type", "PKCS12",
            "sasl.enabled.mechanisms", "SCRAM-SHA-512"));

    private Map<String, Object> tlsClient(String listener, String protocol) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "localhost:" + fixture.get().boundPort(listener));
        c.put("security.protocol", protocol);
        c.put("ssl.truststore.location", certs.trustP12.toString());
        c.put("ssl.truststore.password", TestCertificates.PASSWORD);
        c.put("ssl.truststore.type", "PKCS12");
        return c;
    }

    private static List<String> roundTrip(Map<String, Object> client, String topic, int count) throws Exception {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(20, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
            }
            consumer.commitSync();
        }
        return got;
    }

    @Test
    void kafkaClientsWorkOverSslAndSaslSsl() throws Exception {
        TributaryBroker broker = fixture.get();
        assertThat(roundTrip(tlsClient("SSL", "SSL"), "over-ssl", 50))
                .hasSize(50)
                .startsWith("v0", "v1");

        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.boundPort("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "alice-pw")))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
        Map<String, Object> saslSsl = tlsClient("SASL_SSL", "SASL_SSL");
        saslSsl.put("sasl.mechanism", "SCRAM-SHA-512");
        saslSsl.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\""
                        + " password=\"alice-pw\";");
        assertThat(roundTrip(saslSsl, "over-sasl-ssl", 50)).hasSize(50).endsWith("v49");
    }

    @Test
    void mutualTlsNeedsATrustedClientCertificate() throws Exception {
        Map<String, Object> withCert = tlsClient("MTLS", "SSL");
        withCert.put("ssl.keystore.location", certs.clientP12.toString());
        withCert.put("ssl.keystore.password", TestCertificates.PASSWORD);
        withCert.put("ssl.keystore.type", "PKCS12");
        assertThat(roundTrip(withCert, "over-mtls", 5)).hasSize(5);

        Map<String, Object> noCert = tlsClient("MTLS", "SSL");
        noCert.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        noCert.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        try (Admin admin = Admin.create(noCert)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "localhost:" + fixture.get().boundPort("SSL"));
        c.put("security.protocol", "SSL");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        try (Admin admin = Admin.create(c)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void plaintextOnATlsPortAndTlsOnAPlaintextPortAreClosedAndTheBrokerKeepsServing() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort("SSL"))) {
            c.send(new MetadataRequestData().setTopics(null), (short) 4);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        // A TLS ClientHello's first bytes read as a frame size of about 369 MB: refused by size.
        try (TestConnection c = new TestConnection(fixture.get().boundPort("PLAINTEXT"))) {
            c.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(roundTrip(tlsClient("SSL", "SSL"), "still-serving", 3)).hasSize(3);
    }
}
