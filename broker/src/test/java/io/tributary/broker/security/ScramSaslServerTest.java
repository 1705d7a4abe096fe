package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import io.tributary.protocol.sasl.ScramMessages;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.sasl.SaslClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S1: our SCRAM server against Apache Kafka's own SCRAM client (kafka-clients' ScramSaslClient, the one every Java
 * Kafka client runs), plus the failures a hostile or old client can cause.
 */
class ScramSaslServerTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicInteger nonceCounter = new AtomicInteger();

    private ScramSaslServer server(ScramMechanism m, String user, String password, boolean legacy) {
        ScramCredential credential = m.newCredential(password, 4096, RANDOM);
        CredentialLookup lookup =
                (name, mech) -> name.equals(user) && mech == m ? Optional.of(credential) : Optional.empty();
        return new ScramSaslServer(m, lookup, legacy, () -> "srv" + nonceCounter.incrementAndGet());
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void kafkasClientAuthenticatesAndVerifiesOurSignature(ScramMechanism m) throws Exception {
        ScramSaslServer server = server(m, "alice", "alice-secret", true);
        SaslClient client = KafkaScram.client(m, "alice", "alice-secret");
        byte[] clientFirst = client.evaluateChallenge(new byte[0]);
        byte[] clientFinal = client.evaluateChallenge(server.evaluate(clientFirst));
        byte[] serverFinal = server.evaluate(clientFinal);
        // Kafka's client throws if our server signature were wrong.
        client.evaluateChallenge(serverFinal);
        assertThat(client.isComplete()).isTrue();
        assertThat(server.isComplete()).isTrue();
        assertThat(server.authenticatedUser()).isEqualTo("alice");
        assertThat(server.acceptedLegacyNonce()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void wrongPasswordAndUnknownUserGetTheSameMessage(ScramMechanism m) throws Exception {
        ScramSaslServer server = server(m, "alice", "alice-secret", true);
        SaslClient wrong = KafkaScram.client(m, "alice", "not-it");
        byte[] clientFinal = wrong.evaluateChallenge(server.evaluate(wrong.evaluateChallenge(new byte[0])));
        assertThatThrownBy(() -> server.evaluate(clientFinal))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessage(ScramSaslServer.INVALID_CREDENTIALS);
        assertThat(server.isComplete()).isFalse();

        ScramSaslServer other = server(m, "alice", "alice-secret", true);
        SaslClient unknown = KafkaScram.client(m, "mallory", "alice-secret");
        assertThatThrownBy(() -> other.evaluate(unknown.evaluateChallenge(new byte[0])))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessage(ScramSaslServer.INVALID_CREDENTIALS);
        assertThatThrownBy(() -> other.evaluate(new byte[0])).isInstanceOf(SaslAuthenticationFailure.class);
    }

    /** librdkafka before 2.6.1: r = client nonce + full server nonce (which already starts with the client nonce). */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oldLibrdkafkaDoubledNonceIsAcceptedOnlyWhenAllowed(boolean allowed) {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        ScramSaslServer server = server(m, "alice", "pw", allowed);
        byte[] clientFinal = handMadeFinal(m, server, "alice", "pw", "cnonce", serverNonce -> "cnonce" + serverNonce);
        if (allowed) {
            byte[] serverFinal = server.evaluate(clientFinal);
            assertThat(ScramMessages.ServerFinal.parse(serverFinal).error()).isNull();
            assertThat(server.acceptedLegacyNonce()).isTrue();
            assertThat(server.authenticatedUser()).isEqualTo("alice");
        } else {
            assertThatThrownBy(() -> server.evaluate(clientFinal))
                    .isInstanceOf(SaslAuthenticationFailure.class)
                    .hasMessageContaining("invalid nonce");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-only", "other-server", "prefix-twice-wrong"})
    void aNonceWithoutTheWholeServerNonceFailsEvenInLegacyMode(String kind) {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        ScramSaslServer server = server(m, "alice", "pw", true);
        byte[] clientFinal = handMadeFinal(m, server, "alice", "pw", "cnonce", serverNonce -> switch (kind) {
            case "client-only" -> "cnonce";
            case "other-server" -> "cnoncesrv999";
            default -> "cnoncecnoncesrv999";
        });
        assertThatThrownBy(() -> server.evaluate(clientFinal))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessageContaining("invalid nonce");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"n,,n=alice,r=abc,tokenauth=true", "y,,n=alice,r=abc", "n,a=bob,n=alice,r=abc", "", "n,,n=alice"
            })
    void refusedClientFirstMessages(String clientFirst) {
        ScramSaslServer server = server(ScramMechanism.SCRAM_SHA_256, "alice", "pw", true);
        assertThatThrownBy(() -> server.evaluate(clientFirst.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessageStartingWith(clientFirst.contains("tokenauth") ? "Authentication failed: delegation" : "");
        assertThat(server.isComplete()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-binding", "no-proof", "bad-proof-length"})
    void refusedClientFinalMessages(String kind) {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        ScramSaslServer server = server(m, "alice", "pw", true);
        byte[] serverFirst = server.evaluate("n,,n=alice,r=cn".getBytes(StandardCharsets.UTF_8));
        String nonce = ScramMessages.ServerFirst.parse(serverFirst).nonce();
        String message = switch (kind) {
            case "wrong-binding" -> "c=eSws,r=" + nonce + ",p=AAAA";
            case "no-proof" -> "c=biws,r=" + nonce;
            default -> "c=biws,r=" + nonce + ",p=AAAA";
        };
        assertThatThrownBy(() -> server.evaluate(message.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SaslAuthenticationFailure.class);
        assertThatThrownBy(() -> server.evaluate(message.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SaslAuthenticationFailure.class)
                .hasMessageContaining("already failed");
    }

    private static byte[] handMadeFinal(
            ScramMechanism m,
            ScramSaslServer server,
            String user,
            String password,
            String clientNonce,
            java.util.function.UnaryOperator<String> finalNonce) {
        ScramMessages.ClientFirst first = ScramMessages.ClientFirst.of("", user, clientNonce, Map.of());
        ScramMessages.ServerFirst serverFirst = ScramMessages.ServerFirst.parse(server.evaluate(first.toBytes()));
        ScramMessages.ClientFinal unsigned =
                ScramMessages.ClientFinal.unsigned("biws", finalNonce.apply(serverFirst.nonce()));
        byte[] salted = m.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        byte[] auth = ScramMessages.authMessage(first.bare(), serverFirst.text(), unsigned.withoutProof());
        return unsigned.withProof(m.clientProof(m.clientKey(salted), auth)).toBytes();
    }
}
