package io.tributary.broker.security;

import io.tributary.protocol.Errors;
import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The SASL state of one connection on a SASL listener, as Kafka's server authenticator keeps it, with no I/O: which
 * requests may arrive now, the handshake (v0 switches the connection to raw tokens, v1 to SaslAuthenticate), each
 * authentication step, the session lifetime of KIP-368 and re-authentication with the same mechanism and user. The
 * network layer asks {@link #permits} before dispatching anything and closes the connection when told to.
 *
 * <p>Owned by the connection's event loop; not thread-safe.
 */
public final class SaslSession {
    public static final short API_VERSIONS = 18;
    public static final short SASL_HANDSHAKE = 17;
    public static final short SASL_AUTHENTICATE = 36;

    /** Where the exchange stands. */
    public enum Phase {
        /** Only ApiVersions and SaslHandshake are answered. */
        AWAIT_HANDSHAKE,
        /** Handshake v1+ done: SaslAuthenticate requests carry the tokens. */
        AWAIT_AUTHENTICATE,
        /** Handshake v0 done: the next frames are raw SASL tokens, not Kafka requests. */
        AWAIT_RAW_TOKEN,
        AUTHENTICATED,
        /** Closed after a failure; nothing more is served. */
        FAILED
    }

    /** What one authentication step produced; {@code close} means: send this (if anything), then close. */
    public record Step(Errors error, String message, byte[] token, long sessionLifetimeMs, boolean close) {}

    private final List<String> enabledMechanisms;
    private final Function<String, SaslServerMechanism> mechanisms;
    private final long maxReauthMs;

    private Phase phase = Phase.AWAIT_HANDSHAKE;
    private SaslServerMechanism current;
    private String mechanismName;
    private String user;
    private long sessionExpiresAtMs = Long.MAX_VALUE;
    private boolean reauthenticating;
    private boolean acceptedLegacyNonce;

    /**
     * @param enabledMechanisms {@code sasl.enabled.mechanisms} of the listener, in the order to advertise
     * @param mechanisms makes a fresh server for an enabled mechanism name
     * @param maxReauthMs {@code connections.max.reauth.ms}; 0 means sessions never expire
     */
    public SaslSession(
            List<String> enabledMechanisms, Function<String, SaslServerMechanism> mechanisms, long maxReauthMs) {
        this.enabledMechanisms = List.copyOf(enabledMechanisms);
        this.mechanisms = mechanisms;
        this.maxReauthMs = maxReauthMs;
    }

    public Phase phase() {
        return phase;
    }

    /**
     * Whether a request with this API key may be served now. False means: close the connection (Kafka answers
     * nothing to a request out of place in the SASL exchange).
     */
    public boolean permits(short apiKey, long nowMs) {
        return switch (phase) {
            case AWAIT_HANDSHAKE ->
                reauthenticating ? apiKey == SASL_HANDSHAKE : apiKey == API_VERSIONS || apiKey == SASL_HANDSHAKE;
            case AWAIT_AUTHENTICATE -> apiKey == SASL_AUTHENTICATE;
            case AWAIT_RAW_TOKEN, FAILED -> false;
            case AUTHENTICATED -> nowMs < sessionExpiresAtMs || apiKey == SASL_HANDSHAKE;
        };
    }

    /** SaslHandshake: chooses the mechanism. An unsupported one is answered, then the connection closes. */
    public Step handshake(String mechanism, short version, long nowMs) {
        if (phase == Phase.AUTHENTICATED) {
            // KIP-368 re-authentication: only over SaslAuthenticate, and with the mechanism used before.
            if (version < 1 || !mechanism.equals(mechanismName)) {
                phase = Phase.FAILED;
                return new Step(
                        Errors.ILLEGAL_SASL_STATE,
                        "Re-authentication must use the mechanism " + mechanismName + " and SaslHandshake v1 or later",
                        null,
                        0,
                        true);
            }
            reauthenticating = true;
        } else if (phase != Phase.AWAIT_HANDSHAKE) {
            phase = Phase.FAILED;
            return new Step(Errors.ILLEGAL_SASL_STATE, "Unexpected SaslHandshake in state " + phase, null, 0, true);
        }
        if (!enabledMechanisms.contains(mechanism)) {
            phase = Phase.FAILED;
            return new Step(
                    Errors.UNSUPPORTED_SASL_MECHANISM,
                    "Unsupported SASL mechanism " + mechanism + "; enabled: " + enabledMechanisms,
                    null,
                    0,
                    true);
        }
        current = mechanisms.apply(mechanism);
        mechanismName = mechanism;
        phase = version == 0 ? Phase.AWAIT_RAW_TOKEN : Phase.AWAIT_AUTHENTICATE;
        return new Step(Errors.NONE, null, null, 0, false);
    }

    /** The listener's enabled mechanisms, for the handshake response. */
    public List<String> enabledMechanisms() {
        return enabledMechanisms;
    }

    /** One SASL token, from SaslAuthenticate or (after handshake v0) a raw frame. */
    public Step authenticate(byte[] token, long nowMs) {
        if (phase != Phase.AWAIT_AUTHENTICATE && phase != Phase.AWAIT_RAW_TOKEN) {
            phase = Phase.FAILED;
            return new Step(Errors.ILLEGAL_SASL_STATE, "Unexpected SASL token in state " + phase, null, 0, true);
        }
        byte[] answer;
        try {
            answer = current.evaluate(token);
        } catch (SaslAuthenticationFailure e) {
            phase = Phase.FAILED;
            return new Step(Errors.SASL_AUTHENTICATION_FAILED, e.getMessage(), null, 0, true);
        }
        if (current instanceof ScramSaslServer scram && scram.acceptedLegacyNonce()) {
            acceptedLegacyNonce = true;
        }
        if (!current.isComplete()) {
            return new Step(Errors.NONE, null, answer, 0, false);
        }
        String authenticated = current.authenticatedUser();
        if (reauthenticating && !authenticated.equals(user)) {
            phase = Phase.FAILED;
            return new Step(
                    Errors.SASL_AUTHENTICATION_FAILED, "Re-authentication must be as the same user", null, 0, true);
        }
        user = authenticated;
        reauthenticating = false;
        phase = Phase.AUTHENTICATED;
        long lifetime = maxReauthMs > 0 ? maxReauthMs : 0;
        sessionExpiresAtMs = lifetime > 0 ? nowMs + lifetime : Long.MAX_VALUE;
        return new Step(Errors.NONE, null, answer, lifetime, false);
    }

    /** Kafka's principal for the authenticated user, e.g. {@code User:alice}; null before authentication. */
    public String principal() {
        return user == null ? null : "User:" + user;
    }

    public String mechanismName() {
        return mechanismName;
    }

    /** Whether this connection logged in with old librdkafka's doubled SCRAM nonce (to log once). */
    public boolean acceptedLegacyNonce() {
        return acceptedLegacyNonce;
    }

    /** The APIs a connection may use before it authenticates. */
    public static Set<Short> preAuthenticationApis() {
        return Set.of(API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE);
    }
}
