package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.protocol.message.SaslAuthenticateRequestData;
import io.tributary.protocol.message.SaslAuthenticateResponseData;
import io.tributary.protocol.message.SaslHandshakeRequestData;
import io.tributary.protocol.message.SaslHandshakeResponseData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KIP-368 on the wire (issue 9 item 2, S1): with connections.max.reauth.ms the broker tells the client its session
 * lifetime; past it, a connection that did not re-authenticate is closed at its next request, and one that did
 * keeps working. Apache's producer re-authenticates by itself and keeps sending across several lifetimes.
 */
class SaslReauthenticationTest {
    private static final long LIFETIME_MS = 700;

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            "listeners",
            "SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms",
            "PLAIN",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config",
            SaslListenerTest.PLAIN_JAAS,
            "connections.max.reauth.ms",
            String.valueOf(LIFETIME_MS)));

    private static long authenticate(TestConnection c) throws Exception {
        SaslHandshakeResponseData h = c.roundTrip(
                new SaslHandshakeRequestData().setMechanism("PLAIN"), new SaslHandshakeResponseData(), (short) 1);
        assertThat(h.errorCode).isZero();
        SaslAuthenticateResponseData a = c.roundTrip(
                new SaslAuthenticateRequestData()
                        .setAuthBytes("\0carol\0carol-secret".getBytes(StandardCharsets.UTF_8)),
                new SaslAuthenticateResponseData(),
                (short) 2);
        assertThat(a.errorCode).isZero();
        return a.sessionLifetimeMs;
    }

    private static MetadataResponseData metadata(TestConnection c) throws Exception {
        return c.roundTrip(new MetadataRequestData().setTopics(null), new MetadataResponseData(), (short) 4);
    }

    @Test
    void anExpiredSessionIsClosedUnlessItReauthenticated() throws Exception {
        int port = fixture.get().boundPort();
        try (TestConnection stale = new TestConnection(port);
                TestConnection renewed = new TestConnection(port)) {
            long start = System.currentTimeMillis();
            assertThat(authenticate(stale)).isEqualTo(LIFETIME_MS);
            assertThat(authenticate(renewed)).isEqualTo(LIFETIME_MS);
            assertThat(metadata(stale).brokers).hasSize(1);
            assertThat(authenticate(renewed)).as("re-authentication").isEqualTo(LIFETIME_MS);
            long renewedAt = System.currentTimeMillis();
            // Wait until the first sessions have expired but the renewed one has not.
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> System.currentTimeMillis() > start + LIFETIME_MS + 50);
            if (System.currentTimeMillis() < renewedAt + LIFETIME_MS - 100) {
                assertThat(metadata(renewed).brokers).hasSize(1);
            }
            stale.send(new MetadataRequestData().setTopics(null), (short) 4);
            assertThat(stale.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void kafkasProducerReauthenticatesAndKeepsSendingAcrossSeveralLifetimes() throws Exception {
        Map<String, Object> p = new HashMap<>(SaslListenerTest.saslClient(
                "127.0.0.1:" + fixture.get().boundPort(), "PLAIN", "carol", "carol-secret"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long end = System.currentTimeMillis() + 4 * LIFETIME_MS;
            int sent = 0;
            while (System.currentTimeMillis() < end) {
                producer.send(new ProducerRecord<>("reauth", "v" + sent)).get(10, TimeUnit.SECONDS);
                sent++;
            }
            assertThat(sent).isPositive();
            assertThat(producer.metrics().entrySet().stream()
                            .filter(e -> e.getKey().name().equals("successful-reauthentication-total"))
                            .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                            .sum())
                    .as("re-authentications the producer counted")
                    .isGreaterThanOrEqualTo(2);
        }
    }
}
