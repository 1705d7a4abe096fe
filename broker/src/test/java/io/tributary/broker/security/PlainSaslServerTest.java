package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.sasl.PlainMessage;
import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S1: SASL/PLAIN against the listener's JAAS users. */
class PlainSaslServerTest {
    private final Map<String, String> users = Map.of("alice", "alice-secret", "bob", "");

    @Test
    void rightPasswordAuthenticates() {
        PlainSaslServer server = new PlainSaslServer(users);
        assertThat(server.evaluate(new PlainMessage("", "alice", "alice-secret").toBytes()))
                .isEmpty();
        assertThat(server.isComplete()).isTrue();
        assertThat(server.authenticatedUser()).isEqualTo("alice");
        assertThatThrownBy(() -> server.evaluate(new PlainMessage("", "alice", "alice-secret").toBytes()))
                .isInstanceOf(SaslAuthenticationFailure.class);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameMessage() {
        for (PlainMessage bad : new PlainMessage[] {
            new PlainMessage("", "alice", "wrong"),
            new PlainMessage("", "mallory", "alice-secret"),
            new PlainMessage("", "mallory", "\0unknown".substring(1)),
            new PlainMessage("", "bob", "x")
        }) {
            PlainSaslServer server = new PlainSaslServer(users);
            assertThatThrownBy(() -> server.evaluate(bad.toBytes()))
                    .as(bad.username())
                    .isInstanceOf(SaslAuthenticationFailure.class)
                    .hasMessage(PlainSaslServer.INVALID_CREDENTIALS);
            assertThat(server.isComplete()).isFalse();
        }
    }

    @Test
    void anotherAuthorizationIdAndMalformedTokensAreRefused() {
        assertThatThrownBy(() ->
                        new PlainSaslServer(users).evaluate(new PlainMessage("bob", "alice", "alice-secret").toBytes()))
                .hasMessageContaining("authorization id");
        assertThatThrownBy(() -> new PlainSaslServer(users).evaluate("alice".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SaslAuthenticationFailure.class);
    }
}
