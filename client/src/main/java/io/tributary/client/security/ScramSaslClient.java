package io.tributary.client.security;

import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramMechanism;
import io.tributary.protocol.sasl.ScramMessages;
import io.tributary.protocol.sasl.ScramMessages.ClientFinal;
import io.tributary.protocol.sasl.ScramMessages.ClientFirst;
import io.tributary.protocol.sasl.ScramMessages.ServerFinal;
import io.tributary.protocol.sasl.ScramMessages.ServerFirst;
import java.util.Map;

/**
 * The client side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677), as Kafka's ScramLoginModule speaks it: it checks that
 * the server's nonce extends ours, that the iteration count is at least Kafka's minimum, and that the server's final
 * signature proves it knows the credential. One instance per connection attempt, owned by the network thread.
 */
public final class ScramSaslClient {
    private enum State {
        SEND_CLIENT_FIRST,
        RECEIVE_SERVER_FIRST,
        RECEIVE_SERVER_FINAL,
        COMPLETE,
        FAILED
    }

    private final ScramMechanism mechanism;
    private final String username;
    private final String password;
    private final ClientFirst clientFirst;
    private State state = State.SEND_CLIENT_FIRST;
    private byte[] serverKey;
    private byte[] authMessage;

    /** {@code nonce}: printable ASCII without commas, fresh and unpredictable for every exchange. */
    public ScramSaslClient(
            ScramMechanism mechanism, String username, String password, String nonce, Map<String, String> extensions) {
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
        this.clientFirst = ClientFirst.of("", username, nonce, extensions);
    }

    public String mechanismName() {
        return mechanism.mechanismName();
    }

    /** The client-first message, which SCRAM sends without waiting for a challenge. */
    public byte[] initialResponse() {
        expect(State.SEND_CLIENT_FIRST);
        state = State.RECEIVE_SERVER_FIRST;
        return clientFirst.toBytes();
    }

    /** Answers the server's challenge; after the server-final message it returns an empty token and is complete. */
    public byte[] evaluateChallenge(byte[] challenge) {
        try {
            return switch (state) {
                case RECEIVE_SERVER_FIRST -> serverFirst(challenge);
                case RECEIVE_SERVER_FINAL -> serverFinal(challenge);
                default ->
                    throw new SaslAuthenticationFailure("SCRAM exchange got a challenge in state "
                            + state.name().toLowerCase());
            };
        } catch (SaslAuthenticationFailure e) {
            state = State.FAILED;
            throw e;
        }
    }

    private byte[] serverFirst(byte[] challenge) {
        ServerFirst serverFirst = ServerFirst.parse(challenge);
        if (!serverFirst.nonce().startsWith(clientFirst.nonce())
                || serverFirst.nonce().length() == clientFirst.nonce().length()) {
            throw new SaslAuthenticationFailure("Invalid server nonce: it does not extend the client nonce");
        }
        if (serverFirst.iterations() < ScramMechanism.MIN_ITERATIONS) {
            throw new SaslAuthenticationFailure("Requested iterations " + serverFirst.iterations()
                    + " is less than the minimum " + ScramMechanism.MIN_ITERATIONS + " for "
                    + mechanism.mechanismName());
        }
        byte[] salted = mechanism.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        ClientFinal unsigned = ClientFinal.unsigned(ScramMessages.channelBinding(""), serverFirst.nonce());
        authMessage = ScramMessages.authMessage(clientFirst.bare(), serverFirst.text(), unsigned.withoutProof());
        serverKey = mechanism.serverKey(salted);
        byte[] proof = mechanism.clientProof(mechanism.clientKey(salted), authMessage);
        state = State.RECEIVE_SERVER_FINAL;
        return unsigned.withProof(proof).toBytes();
    }

    private byte[] serverFinal(byte[] challenge) {
        ServerFinal serverFinal = ServerFinal.parse(challenge);
        if (serverFinal.error() != null) {
            throw new SaslAuthenticationFailure("Sasl authentication using " + mechanism.mechanismName()
                    + " failed with error: " + serverFinal.error());
        }
        byte[] expected = mechanism.serverSignature(serverKey, authMessage);
        if (!ScramMechanism.equalKeys(expected, serverFinal.serverSignature())) {
            throw new SaslAuthenticationFailure("Invalid server signature in the SCRAM server-final message");
        }
        state = State.COMPLETE;
        return new byte[0];
    }

    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    public String username() {
        return username;
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM client is in state " + state + ", not " + expected);
        }
    }
}
