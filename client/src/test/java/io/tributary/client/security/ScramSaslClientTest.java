package io.tributary.client.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramMechanism;
import io.tributary.protocol.sasl.ScramMessages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** S1: our SCRAM login against Apache Kafka's own SCRAM server (the one Apache brokers run). */
class ScramSaslClientTest {

    private static SaslServer kafkaServer(ScramMechanism m, String user, String password) throws Exception {
        var kafkaMechanism =
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(m.mechanismName());
        ScramCredential credential = new ScramFormatter(kafkaMechanism).generateCredential(password, 4096);
        return new ScramSaslServer(kafkaMechanism, Map.of(), callbacks -> {
            String name = null;
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    name = n.getDefaultName();
                } else if (c instanceof ScramCredentialCallback s) {
                    s.scramCredential(user.equals(name) ? credential : null);
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void authenticatesToKafkasServerAndChecksItsSignature(ScramMechanism m) throws Exception {
        SaslServer server = kafkaServer(m, "alice", "alice-secret");
        ScramSaslClient client = new ScramSaslClient(m, "alice", "alice-secret", "n0nce", Map.of());
        byte[] serverFirst = server.evaluateResponse(client.initialResponse());
        byte[] serverFinal = server.evaluateResponse(client.evaluateChallenge(serverFirst));
        assertThat(server.isComplete()).isTrue();
        assertThat(client.evaluateChallenge(serverFinal)).isEmpty();
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void kafkasServerRefusesAWrongPassword() throws Exception {
        SaslServer server = kafkaServer(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret");
        ScramSaslClient client = new ScramSaslClient(ScramMechanism.SCRAM_SHA_256, "alice", "nope", "n0nce", Map.of());
        byte[] clientFinal = client.evaluateChallenge(server.evaluateResponse(client.initialResponse()));
        assertThatThrownBy(() -> server.evaluateResponse(clientFinal))
                .hasMessageContaining("Invalid client credentials");
    }

    @Test
    void aServerErrorAForgedSignatureABadNonceAndFewIterationsAreRefused() {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        String salt = Base64.getEncoder().encodeToString(new byte[16]);

        ScramSaslClient errored = new ScramSaslClient(m, "alice", "pw", "abc", Map.of());
        errored.initialResponse();
        errored.evaluateChallenge(bytes("r=abcdef,s=" + salt + ",i=4096"));
        assertThatThrownBy(() -> errored.evaluateChallenge(bytes("e=invalid-proof")))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessageContaining("invalid-proof");

        ScramSaslClient forged = new ScramSaslClient(m, "alice", "pw", "abc", Map.of());
        forged.initialResponse();
        forged.evaluateChallenge(bytes("r=abcdef,s=" + salt + ",i=4096"));
        assertThatThrownBy(() -> forged.evaluateChallenge(new ScramMessages.ServerFinal(null, new byte[32]).toBytes()))
                .hasMessageContaining("Invalid server signature");
        assertThat(forged.isComplete()).isFalse();

        for (String serverFirst : new String[] {"r=xyz,s=" + salt + ",i=4096", "r=abc,s=" + salt + ",i=4096"}) {
            ScramSaslClient c = new ScramSaslClient(m, "alice", "pw", "abc", Map.of());
            c.initialResponse();
            assertThatThrownBy(() -> c.evaluateChallenge(bytes(serverFirst))).hasMessageContaining("nonce");
        }
        ScramSaslClient weak = new ScramSaslClient(m, "alice", "pw", "abc", Map.of());
        weak.initialResponse();
        assertThatThrownBy(() -> weak.evaluateChallenge(bytes("r=abcdef,s=" + salt + ",i=1")))
                .hasMessageContaining("minimum 4096");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
