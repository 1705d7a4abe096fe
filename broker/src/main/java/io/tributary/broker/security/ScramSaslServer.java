package io.tributary.broker.security;

import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import io.tributary.protocol.sasl.ScramMessages;
import io.tributary.protocol.sasl.ScramMessages.ClientFinal;
import io.tributary.protocol.sasl.ScramMessages.ClientFirst;
import io.tributary.protocol.sasl.ScramMessages.ServerFinal;
import io.tributary.protocol.sasl.ScramMessages.ServerFirst;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) as Kafka brokers run it: client-first, server-first,
 * client-final with proof, server-final with signature. The nonce, channel binding and proof are all checked; an
 * unknown user and a wrong password fail with the same message.
 *
 * <p>librdkafka before 2.6.1 sends its own nonce twice in the client-final message (client nonce + the full server
 * nonce, which already starts with it). Apache Kafka 4.x refuses that; we accept exactly that form when
 * {@code legacyNonceAllowed} (the message still has to carry the whole server nonce, so a replay of another exchange
 * still fails) and report it through {@link #acceptedLegacyNonce()} so the connection can log it once.
 *
 * <p>One instance per exchange, owned by the connection's event loop.
 */
public final class ScramSaslServer implements SaslServerMechanism {
    static final String INVALID_CREDENTIALS = "Authentication failed: Invalid user credentials";

    private enum State {
        RECEIVE_CLIENT_FIRST,
        RECEIVE_CLIENT_FINAL,
        COMPLETE,
        FAILED
    }

    private final ScramMechanism mechanism;
    private final CredentialLookup credentials;
    private final boolean legacyNonceAllowed;
    private final Supplier<String> nonces;

    private State state = State.RECEIVE_CLIENT_FIRST;
    private ClientFirst clientFirst;
    private ServerFirst serverFirst;
    private ScramCredential credential;
    private boolean acceptedLegacyNonce;

    /** {@code nonces} supplies the server's part of the nonce (printable ASCII, no comma), fresh each call. */
    public ScramSaslServer(
            ScramMechanism mechanism,
            CredentialLookup credentials,
            boolean legacyNonceAllowed,
            Supplier<String> nonces) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.legacyNonceAllowed = legacyNonceAllowed;
        this.nonces = nonces;
    }

    @Override
    public String mechanismName() {
        return mechanism.mechanismName();
    }

    @Override
    public byte[] evaluate(byte[] response) {
        try {
            return switch (state) {
                case RECEIVE_CLIENT_FIRST -> clientFirst(response);
                case RECEIVE_CLIENT_FINAL -> clientFinal(response);
                case COMPLETE, FAILED ->
                    throw new SaslAuthenticationFailure("Authentication failed: the SCRAM exchange is already "
                            + state.name().toLowerCase());
            };
        } catch (SaslAuthenticationFailure e) {
            state = State.FAILED;
            throw e;
        }
    }

    private byte[] clientFirst(byte[] response) {
        clientFirst = ClientFirst.parse(response);
        if ("true".equalsIgnoreCase(clientFirst.extensions().get("tokenauth"))) {
            throw new SaslAuthenticationFailure("Authentication failed: delegation tokens are not supported");
        }
        if (!clientFirst.authorizationId().isEmpty()
                && !clientFirst.authorizationId().equals(clientFirst.username())) {
            throw new SaslAuthenticationFailure(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        Optional<ScramCredential> found = credentials.scramCredential(clientFirst.username(), mechanism);
        if (found.isEmpty()) {
            throw new SaslAuthenticationFailure(INVALID_CREDENTIALS);
        }
        credential = found.get();
        serverFirst = new ServerFirst(clientFirst.nonce() + nonces.get(), credential.salt(), credential.iterations());
        state = State.RECEIVE_CLIENT_FINAL;
        return serverFirst.toBytes();
    }

    private byte[] clientFinal(byte[] response) {
        ClientFinal clientFinal = ClientFinal.parse(response);
        if (!clientFinal.channelBinding().equals(ScramMessages.channelBinding(clientFirst.authorizationId()))) {
            throw new SaslAuthenticationFailure("Authentication failed: invalid channel binding");
        }
        if (!clientFinal.nonce().equals(serverFirst.nonce())) {
            if (legacyNonceAllowed && clientFinal.nonce().equals(clientFirst.nonce() + serverFirst.nonce())) {
                acceptedLegacyNonce = true;
            } else {
                throw new SaslAuthenticationFailure("Authentication failed: invalid nonce");
            }
        }
        byte[] authMessage =
                ScramMessages.authMessage(clientFirst.bare(), serverFirst.text(), clientFinal.withoutProof());
        if (!mechanism.verifyClientProof(credential.storedKey(), authMessage, clientFinal.proof())) {
            throw new SaslAuthenticationFailure(INVALID_CREDENTIALS);
        }
        state = State.COMPLETE;
        return new ServerFinal(null, mechanism.serverSignature(credential.serverKey(), authMessage)).toBytes();
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String authenticatedUser() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("SCRAM exchange is not complete");
        }
        return clientFirst.username();
    }

    /** Whether the client used librdkafka's pre-2.6.1 doubled nonce (see the class comment). */
    public boolean acceptedLegacyNonce() {
        return acceptedLegacyNonce;
    }
}
