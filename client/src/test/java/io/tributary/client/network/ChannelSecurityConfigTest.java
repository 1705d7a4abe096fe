package io.tributary.client.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.Password;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.network.ChannelSecurityConfig.SecurityProtocol;
import io.tributary.protocol.tls.TestCertificates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The security keys as the consumer reads them: Kafka's names, defaults and refusals, and no secret in print. */
class ChannelSecurityConfigTest {
    private static final String SCRAM_JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cr3t\";";

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:9092");
        m.put("key.deserializer", "io.tributary.client.serialization.StringDeserializer");
        m.put("value.deserializer", "io.tributary.client.serialization.StringDeserializer");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static ConfigException failure(Map<String, Object> props) {
        try {
            new ConsumerConfig(props);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void plaintextByDefaultAndKafkasDefaultMechanismIsIgnoredWithoutSasl() {
        ChannelSecurityConfig c = new ConsumerConfig(props()).channelSecurity();
        assertThat(c.protocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(c.sasl()).isNull();
        assertThat(c.sslContext()).isNull();
    }

    @Test
    void anUnknownSecurityProtocolNamesTheKey() {
        ConfigException e = failure(props("security.protocol", "TLS"));
        assertThat(e.key()).isEqualTo("security.protocol");
        assertThat(e).hasMessageContaining("SASL_SSL");
    }

    @Test
    void theProtocolIsCaseInsensitiveAsInKafka() {
        ChannelSecurityConfig c = new ConsumerConfig(props(
                        "security.protocol",
                        "sasl_plaintext",
                        "sasl.mechanism",
                        "scram-sha-512",
                        "sasl.jaas.config",
                        SCRAM_JAAS))
                .channelSecurity();
        assertThat(c.protocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
        assertThat(c.sasl().mechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(c.sasl().username()).isEqualTo("alice");
        assertThat(c.sasl().password().value()).isEqualTo("s3cr3t");
    }

    @Test
    void saslWithoutAMechanismExplainsThatGssapiIsKafkasDefault() {
        ConfigException e = failure(props("security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config", SCRAM_JAAS));
        assertThat(e.key()).isEqualTo("sasl.mechanism");
        assertThat(e).hasMessageContaining("GSSAPI").hasMessageContaining("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OAUTHBEARER", "GSSAPI", "DIGEST-MD5"})
    void unsupportedMechanismsAreRefusedByName(String mechanism) {
        ConfigException e = failure(
                props("security.protocol", "SASL_SSL", "sasl.mechanism", mechanism, "sasl.jaas.config", SCRAM_JAAS));
        assertThat(e.key()).isEqualTo("sasl.mechanism");
        assertThat(e).hasMessageContaining(mechanism);
    }

    @Test
    void saslNeedsAJaasConfig() {
        ConfigException e = failure(props("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"));
        assertThat(e.key()).isEqualTo("sasl.jaas.config");
    }

    @Test
    void aJaasConfigWithoutPasswordIsRefusedWithoutEchoingIt() {
        ConfigException e = failure(props(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"bob-the-user\";"));
        assertThat(e.key()).isEqualTo("sasl.jaas.config");
        assertThat(e).hasMessageContaining("password").hasMessageNotContaining("bob-the-user");
    }

    @Test
    void anUnknownLoginModuleIsRefused() {
        ConfigException e = failure(props(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "com.example.Login required username=\"a\" password=\"secret-pw\";"));
        assertThat(e).hasMessageContaining("com.example.Login").hasMessageNotContaining("secret-pw");
    }

    @Test
    void aMalformedJaasConfigNamesThePositionNotTheValue() {
        ConfigException e = failure(props(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"secret-pw"));
        assertThat(e).hasMessageContaining("sasl.jaas.config").hasMessageNotContaining("secret-pw");
    }

    @Test
    void secretsNeverAppearInToString() {
        ConsumerConfig config = new ConsumerConfig(props(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", SCRAM_JAAS,
                "ssl.truststore.password", "trust-pw",
                "ssl.keystore.password", "key-pw"));
        assertThat(config.toString())
                .contains(Password.HIDDEN)
                .doesNotContain("s3cr3t")
                .doesNotContain("trust-pw")
                .doesNotContain("key-pw");
        assertThat(config.channelSecurity().toString()).doesNotContain("s3cr3t").contains("alice");
        assertThat(config.channelSecurity().sasl().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void sslBuildsTheContextAtConstructionFromKafkasKeys(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        ChannelSecurityConfig c = new ConsumerConfig(props(
                        "security.protocol",
                        "SSL",
                        "ssl.truststore.location",
                        certs.trustJks.toString(),
                        "ssl.truststore.password",
                        TestCertificates.PASSWORD))
                .channelSecurity();
        assertThat(c.sslContext()).isNotNull();
        assertThat(c.ssl().endpointIdentificationAlgorithm()).isEqualTo("https");
        assertThat(c.ssl().enabledProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void aMissingTrustStoreNamesTheKeyAtConstruction() {
        ConfigException e = failure(props(
                "security.protocol",
                "SSL",
                "ssl.truststore.location",
                "/nonexistent/trust.jks",
                "ssl.truststore.password",
                "pw-not-shown"));
        assertThat(e).hasMessageContaining("ssl.truststore.location").hasMessageNotContaining("pw-not-shown");
    }

    @Test
    void anUnknownTlsProtocolNameIsRefused() {
        ConfigException e = failure(props("security.protocol", "SSL", "ssl.enabled.protocols", "TLSv1.2,TLS1.3"));
        assertThat(e).hasMessageContaining("ssl.enabled.protocols").hasMessageContaining("TLS1.3");
    }

    @Test
    void sslKeysAreIgnoredWithoutTls() {
        ChannelSecurityConfig c =
                new ConsumerConfig(props("ssl.truststore.location", "/nonexistent/trust.jks")).channelSecurity();
        assertThat(c.sslContext()).isNull();
    }
}
