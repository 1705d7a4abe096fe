package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.sasl.PlainMessage;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** S1: the per-connection SASL exchange: what is served when, handshake versions, failures, KIP-368 sessions. */
class SaslSessionTest {
    private static final short METADATA = 3;
    private static final ScramCredential BOB =
            ScramMechanism.SCRAM_SHA_256.newCredential("bob-pw", 4096, new SecureRandom());

    private static SaslSession session(long reauthMs) {
        return new SaslSession(
                List.of("PLAIN", "SCRAM-SHA-256"),
                name -> name.equals("PLAIN")
                        ? new PlainSaslServer(Map.of("alice", "alice-pw", "carol", "carol-pw"))
                        : new ScramSaslServer(
                                ScramMechanism.SCRAM_SHA_256,
                                (user, m) -> user.equals("bob") ? Optional.of(BOB) : Optional.empty(),
                                true,
                                () -> "server"),
                reauthMs);
    }

    @Test
    void onlyApiVersionsAndTheHandshakeBeforeAuthentication() {
        SaslSession s = session(0);
        assertThat(s.permits(SaslSession.API_VERSIONS, 0)).isTrue();
        assertThat(s.permits(SaslSession.SASL_HANDSHAKE, 0)).isTrue();
        assertThat(s.permits(METADATA, 0)).isFalse();
        assertThat(s.permits(SaslSession.SASL_AUTHENTICATE, 0))
                .as("before the handshake")
                .isFalse();
        assertThat(s.handshake("PLAIN", (short) 1, 0).error()).isEqualTo(Errors.NONE);
        assertThat(s.permits(METADATA, 0)).isFalse();
        assertThat(s.permits(SaslSession.SASL_AUTHENTICATE, 0)).isTrue();
        SaslSession.Step step = s.authenticate(new PlainMessage("", "alice", "alice-pw").toBytes(), 0);
        assertThat(step.error()).isEqualTo(Errors.NONE);
        assertThat(step.close()).isFalse();
        assertThat(s.phase()).isEqualTo(SaslSession.Phase.AUTHENTICATED);
        assertThat(s.principal()).isEqualTo("User:alice");
        assertThat(s.permits(METADATA, Long.MAX_VALUE - 1))
                .as("no re-authentication configured")
                .isTrue();
    }

    @Test
    void anUnsupportedMechanismIsAnsweredWithTheEnabledOnesThenClosed() {
        SaslSession s = session(0);
        SaslSession.Step step = s.handshake("GSSAPI", (short) 1, 0);
        assertThat(step.error()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(step.message()).contains("PLAIN", "SCRAM-SHA-256");
        assertThat(step.close()).isTrue();
        assertThat(s.permits(SaslSession.API_VERSIONS, 0)).isFalse();
    }

    @Test
    void aWrongPasswordFailsAndClosesAndServesNothingAfter() {
        SaslSession s = session(0);
        s.handshake("PLAIN", (short) 1, 0);
        SaslSession.Step step = s.authenticate(new PlainMessage("", "alice", "wrong").toBytes(), 0);
        assertThat(step.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(step.message())
                .isEqualTo(PlainSaslServer.INVALID_CREDENTIALS)
                .doesNotContain("wrong");
        assertThat(step.close()).isTrue();
        assertThat(s.phase()).isEqualTo(SaslSession.Phase.FAILED);
        assertThat(s.permits(METADATA, 0)).isFalse();
        assertThat(s.principal()).isNull();
    }

    @Test
    void handshakeV0SwitchesToRawTokensAndScramTakesTwoSteps() throws Exception {
        SaslSession s = session(0);
        s.handshake("SCRAM-SHA-256", (short) 0, 0);
        assertThat(s.phase()).isEqualTo(SaslSession.Phase.AWAIT_RAW_TOKEN);
        assertThat(s.permits(SaslSession.SASL_AUTHENTICATE, 0)).isFalse();
        var client = KafkaScram.client(ScramMechanism.SCRAM_SHA_256, "bob", "bob-pw");
        SaslSession.Step first = s.authenticate(client.evaluateChallenge(new byte[0]), 0);
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(s.phase()).isEqualTo(SaslSession.Phase.AWAIT_RAW_TOKEN);
        SaslSession.Step last = s.authenticate(client.evaluateChallenge(first.token()), 0);
        assertThat(last.error()).isEqualTo(Errors.NONE);
        client.evaluateChallenge(last.token());
        assertThat(client.isComplete()).isTrue();
        assertThat(s.principal()).isEqualTo("User:bob");
    }

    @Test
    void anExpiredSessionServesOnlyReauthenticationWithTheSameMechanismAndUser() {
        SaslSession s = session(60_000);
        s.handshake("PLAIN", (short) 1, 1_000);
        SaslSession.Step step = s.authenticate(new PlainMessage("", "alice", "alice-pw").toBytes(), 1_000);
        assertThat(step.sessionLifetimeMs()).isEqualTo(60_000);
        assertThat(s.permits(METADATA, 60_999)).isTrue();
        assertThat(s.permits(METADATA, 61_000)).as("expired").isFalse();
        assertThat(s.permits(SaslSession.SASL_HANDSHAKE, 61_000)).isTrue();

        assertThat(s.handshake("PLAIN", (short) 1, 61_000).error()).isEqualTo(Errors.NONE);
        assertThat(s.authenticate(new PlainMessage("", "alice", "alice-pw").toBytes(), 61_000)
                        .error())
                .isEqualTo(Errors.NONE);
        assertThat(s.permits(METADATA, 120_000)).as("renewed until 121000").isTrue();

        SaslSession other = session(60_000);
        other.handshake("PLAIN", (short) 1, 0);
        other.authenticate(new PlainMessage("", "alice", "alice-pw").toBytes(), 0);
        other.handshake("PLAIN", (short) 1, 1);
        SaslSession.Step asCarol = other.authenticate(new PlainMessage("", "carol", "carol-pw").toBytes(), 1);
        assertThat(asCarol.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(asCarol.close()).isTrue();

        SaslSession third = session(60_000);
        third.handshake("PLAIN", (short) 1, 0);
        third.authenticate(new PlainMessage("", "alice", "alice-pw").toBytes(), 0);
        assertThat(third.handshake("SCRAM-SHA-256", (short) 1, 1).error()).isEqualTo(Errors.ILLEGAL_SASL_STATE);
    }
}
