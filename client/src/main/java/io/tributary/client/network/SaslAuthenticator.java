package io.tributary.client.network;

import io.tributary.client.common.errors.SaslAuthenticationException;
import io.tributary.client.network.ChannelSecurityConfig.SaslCredentials;
import io.tributary.client.security.ScramSaslClient;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.SaslAuthenticateRequestData;
import io.tributary.protocol.message.SaslAuthenticateResponseData;
import io.tributary.protocol.message.SaslHandshakeRequestData;
import io.tributary.protocol.message.SaslHandshakeResponseData;
import io.tributary.protocol.sasl.PlainMessage;
import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramMechanism;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One SASL login on one connection, after ApiVersions: SaslHandshake v1 names the mechanism, then SaslAuthenticate
 * (KIP-152) carries the tokens: one for PLAIN; client-first, client-final and the check of the server-final message
 * for SCRAM ({@link ScramSaslClient}). The same exchange, on the same connection, is a KIP-368 re-authentication.
 * Completes with the broker's session lifetime in milliseconds (0: none), or fails with
 * {@link SaslAuthenticationException} naming the cause; a lost connection fails with the transport's error instead.
 * Runs on the network thread; the sender's futures complete there.
 */
final class SaslAuthenticator {
    /** Sends one request on the connection being authenticated, at the highest version both ends support. */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<Response> send(ApiMessageType api, ApiMessage body);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SaslCredentials credentials;
    private final String peer;

    SaslAuthenticator(SaslCredentials credentials, String peer) {
        this.credentials = credentials;
        this.peer = peer;
    }

    CompletableFuture<Long> authenticate(Sender sender) {
        String mechanism = credentials.mechanism();
        return sender.send(ApiMessageType.SASL_HANDSHAKE, new SaslHandshakeRequestData().setMechanism(mechanism))
                .thenCompose(resp -> {
                    SaslHandshakeResponseData data = resp.data();
                    Errors error = Errors.forCode(data.errorCode);
                    if (error == Errors.UNSUPPORTED_SASL_MECHANISM) {
                        throw new SaslAuthenticationException("Unsupported SASL mechanism " + mechanism + ", broker "
                                + peer + " enables " + data.mechanisms);
                    }
                    if (error != Errors.NONE) {
                        throw new SaslAuthenticationException(
                                "SaslHandshake with " + peer + " failed: " + error + " " + error.message());
                    }
                    return mechanism.equals("PLAIN") ? plain(sender) : scram(sender);
                });
    }

    private CompletableFuture<Long> plain(Sender sender) {
        byte[] token = new PlainMessage(
                        "", credentials.username(), credentials.password().value())
                .toBytes();
        return step(sender, token).thenApply(data -> data.sessionLifetimeMs);
    }

    private CompletableFuture<Long> scram(Sender sender) {
        ScramMechanism mechanism =
                ScramMechanism.forName(credentials.mechanism()).orElseThrow();
        ScramSaslClient client = new ScramSaslClient(
                mechanism, credentials.username(), credentials.password().value(), nonce(), Map.of());
        return step(sender, client.initialResponse())
                .thenCompose(first -> step(sender, evaluate(client, first.authBytes)))
                .thenApply(last -> {
                    evaluate(client, last.authBytes);
                    return last.sessionLifetimeMs;
                });
    }

    private static byte[] evaluate(ScramSaslClient client, byte[] challenge) {
        try {
            return client.evaluateChallenge(challenge);
        } catch (SaslAuthenticationFailure e) {
            throw new SaslAuthenticationException(e.getMessage(), e);
        }
    }

    private CompletableFuture<SaslAuthenticateResponseData> step(Sender sender, byte[] token) {
        return sender.send(ApiMessageType.SASL_AUTHENTICATE, new SaslAuthenticateRequestData().setAuthBytes(token))
                .thenApply(resp -> {
                    SaslAuthenticateResponseData data = resp.data();
                    Errors error = Errors.forCode(data.errorCode);
                    if (error != Errors.NONE) {
                        String why = data.errorMessage == null || data.errorMessage.isEmpty()
                                ? error.message()
                                : data.errorMessage;
                        throw new SaslAuthenticationException("SASL " + credentials.mechanism() + " authentication of "
                                + credentials.username() + " with " + peer + " failed: " + why);
                    }
                    return data;
                });
    }

    /** 24 random bytes in URL-safe base64: printable and comma-free, as SCRAM requires. */
    private static String nonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * When to log in again for a session of {@code lifetimeMs} (0: never): at a random 85-95% of it, as Kafka's
     * clients do, so the exchange finishes before the broker's deadline and a fleet does not re-authenticate at once.
     */
    static long reauthenticateAtMs(long nowMs, long lifetimeMs) {
        return lifetimeMs > 0
                ? nowMs + (long) (lifetimeMs * ThreadLocalRandom.current().nextDouble(0.85, 0.95))
                : Long.MAX_VALUE;
    }

    /** Unwraps what CompletableFuture stages add around an exception thrown inside them. */
    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
