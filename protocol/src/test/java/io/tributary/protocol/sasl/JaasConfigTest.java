package io.tributary.protocol.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S1: Kafka's sasl.jaas.config syntax and the SASL/PLAIN message. */
class JaasConfigTest {
    @Test
    void parsesKafkasBrokerAndClientForms() {
        JaasConfig broker = JaasConfig.parse(
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required\n"
                        + "  username=\"admin\" password=\"admin-secret\"\n"
                        + "  user_admin=\"admin-secret\" user_alice=\"al\\\"ice\";");
        assertThat(broker.loginModule()).isEqualTo(JaasConfig.PLAIN_LOGIN_MODULE);
        assertThat(broker.controlFlag()).isEqualTo("required");
        assertThat(broker.options())
                .containsEntry("user_alice", "al\"ice")
                .containsEntry("username", "admin")
                .hasSize(4);
        assertThat(broker.toString()).doesNotContain("admin-secret");

        JaasConfig client = JaasConfig.parse(
                "sasl.jaas.config", JaasConfig.SCRAM_LOGIN_MODULE + " REQUIRED username=bob password=pw-1;  ");
        assertThat(client.options()).isEqualTo(Map.of("username", "bob", "password", "pw-1"));
        assertThat(client.controlFlag()).isEqualTo("required");
    }

    @Test
    void errorsNameThePropertyAndTheProblemButNoValue() {
        assertThatThrownBy(() -> JaasConfig.parse("sasl.jaas.config", "Module required password=\"s3cret\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sasl.jaas.config")
                .hasMessageContaining("';'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> JaasConfig.parse("k", "Module maybe;")).hasMessageContaining("unknown control flag");
        assertThatThrownBy(() -> JaasConfig.parse("k", "A required; B required;"))
                .hasMessageContaining("exactly one login module");
        assertThatThrownBy(() -> JaasConfig.parse("k", "A required a=\"open;")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> JaasConfig.parse("k", "A required a=1 a=2;")).hasMessageContaining("twice");
        assertThatThrownBy(() -> JaasConfig.parse("k", "")).hasMessageContaining("login module class name");
    }

    @Test
    void plainMessageParsesAndRefusesMalformedTokens() {
        PlainMessage m = PlainMessage.parse("\0alice\0pw".getBytes(StandardCharsets.UTF_8));
        assertThat(m).isEqualTo(new PlainMessage("", "alice", "pw"));
        assertThat(PlainMessage.parse(m.toBytes())).isEqualTo(m);
        assertThat(m.toString()).doesNotContain("pw");
        for (String bad : new String[] {"", "alice", "\0alice", "\0\0pw", "a\0b\0c\0d"}) {
            assertThatThrownBy(() -> PlainMessage.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad.replace('\0', '|'))
                    .isInstanceOf(SaslAuthenticationFailure.class);
        }
    }
}
