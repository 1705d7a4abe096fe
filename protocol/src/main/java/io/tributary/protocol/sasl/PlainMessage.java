package io.tributary.protocol.sasl;

import java.nio.charset.StandardCharsets;

/** The one message of SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}. */
public record PlainMessage(String authorizationId, String username, String password) {

    public static PlainMessage parse(byte[] message) {
        String s = new String(message, StandardCharsets.UTF_8);
        int first = s.indexOf('\0');
        int second = first < 0 ? -1 : s.indexOf('\0', first + 1);
        if (second < 0 || s.indexOf('\0', second + 1) >= 0) {
            throw new SaslAuthenticationFailure(
                    "Invalid SASL/PLAIN message: expected authorization id, user name and password separated by NUL");
        }
        String username = s.substring(first + 1, second);
        if (username.isEmpty()) {
            throw new SaslAuthenticationFailure("Invalid SASL/PLAIN message: empty user name");
        }
        return new PlainMessage(s.substring(0, first), username, s.substring(second + 1));
    }

    public byte[] toBytes() {
        return (authorizationId + '\0' + username + '\0' + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PlainMessage(authorizationId=" + authorizationId + ", username=" + username + ")";
    }
}
