package io.tributary.protocol.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four SCRAM messages of RFC 5802 section 7 as Kafka uses them (no channel binding; extensions after the nonce in
 * the client-first message, e.g. Kafka's {@code tokenauth}). Parsing is strict and every failure names the part that
 * is wrong without echoing secrets. Pure values, no state.
 */
public final class ScramMessages {
    private ScramMessages() {}

    /**
     * {@code n,[a=authzid],n=user,r=nonce[,ext=value...]}. {@code bare} is the client-first-message-bare exactly as
     * sent, because the AuthMessage both ends sign is built from the bytes on the wire.
     */
    public record ClientFirst(
            String authorizationId, String username, String nonce, Map<String, String> extensions, String bare) {
        public ClientFirst {
            extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        }

        public static ClientFirst of(
                String authorizationId, String username, String nonce, Map<String, String> extensions) {
            StringBuilder b = new StringBuilder("n=")
                    .append(escape(username))
                    .append(",r=")
                    .append(nonce);
            extensions.forEach((k, v) -> b.append(',').append(k).append('=').append(v));
            return new ClientFirst(authorizationId, username, nonce, extensions, b.toString());
        }

        public static ClientFirst parse(byte[] message) {
            String s = utf8(message);
            if (s.startsWith("y,") || s.startsWith("p=")) {
                throw failure("channel binding is not supported");
            }
            if (!s.startsWith("n,")) {
                throw failure("client-first message must start with the gs2 header 'n,'");
            }
            int end = s.indexOf(',', 2);
            if (end < 0) {
                throw failure("client-first message has no end to its gs2 header");
            }
            String authzid = s.substring(2, end);
            if (!authzid.isEmpty()) {
                if (!authzid.startsWith("a=")) {
                    throw failure("invalid authorization id in the gs2 header");
                }
                authzid = unescape(authzid.substring(2));
            }
            String bare = s.substring(end + 1);
            List<String> parts = List.of(bare.split(",", -1));
            if (parts.size() < 2) {
                throw failure("client-first message needs a user name and a nonce");
            }
            if (parts.get(0).startsWith("m=")) {
                throw failure("mandatory extensions are not supported");
            }
            String user = attribute(parts.get(0), 'n', "user name");
            String nonce = checkedNonce(attribute(parts.get(1), 'r', "nonce"));
            return new ClientFirst(
                    authzid, unescape(user), nonce, parsedExtensions(parts.subList(2, parts.size())), bare);
        }

        public byte[] toBytes() {
            String header = authorizationId.isEmpty() ? "n,," : "n,a=" + escape(authorizationId) + ",";
            return (header + bare).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code r=nonce,s=salt,i=iterations}. */
    public record ServerFirst(String nonce, byte[] salt, int iterations) {
        public static ServerFirst parse(byte[] message) {
            String[] parts = utf8(message).split(",", -1);
            if (parts.length < 3) {
                throw failure("server-first message needs a nonce, a salt and an iteration count");
            }
            if (parts[0].startsWith("m=")) {
                throw failure("mandatory extensions are not supported");
            }
            String nonce = checkedNonce(attribute(parts[0], 'r', "nonce"));
            byte[] salt = base64(attribute(parts[1], 's', "salt"), "salt");
            String i = attribute(parts[2], 'i', "iteration count");
            try {
                return new ServerFirst(nonce, salt, Integer.parseInt(i));
            } catch (NumberFormatException e) {
                throw failure("iteration count is not a number");
            }
        }

        public String text() {
            return "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        }

        public byte[] toBytes() {
            return text().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code c=channel-binding,r=nonce[,ext=value...],p=proof}. {@code withoutProof} is the
     * client-final-message-without-proof exactly as sent (extensions included), for the AuthMessage.
     */
    public record ClientFinal(String channelBinding, String nonce, byte[] proof, String withoutProof) {
        public static ClientFinal unsigned(String channelBinding, String nonce) {
            return new ClientFinal(channelBinding, nonce, new byte[0], "c=" + channelBinding + ",r=" + nonce);
        }

        public ClientFinal withProof(byte[] proof) {
            return new ClientFinal(channelBinding, nonce, proof.clone(), withoutProof);
        }

        public static ClientFinal parse(byte[] message) {
            String s = utf8(message);
            int proofAt = s.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw failure("client-final message has no proof");
            }
            String withoutProof = s.substring(0, proofAt);
            String[] parts = withoutProof.split(",", -1);
            if (parts.length < 2) {
                throw failure("client-final message needs a channel binding and a nonce");
            }
            String binding = attribute(parts[0], 'c', "channel binding");
            String nonce = checkedNonce(attribute(parts[1], 'r', "nonce"));
            return new ClientFinal(binding, nonce, base64(s.substring(proofAt + 3), "proof"), withoutProof);
        }

        public byte[] toBytes() {
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code v=verifier} or {@code e=error}; exactly one of the two is set. */
    public record ServerFinal(String error, byte[] serverSignature) {
        public static ServerFinal parse(byte[] message) {
            String first = utf8(message).split(",", -1)[0];
            if (first.startsWith("e=")) {
                return new ServerFinal(first.substring(2), null);
            }
            return new ServerFinal(null, base64(attribute(first, 'v', "verifier"), "verifier"));
        }

        public byte[] toBytes() {
            String text =
                    error != null ? "e=" + error : "v=" + Base64.getEncoder().encodeToString(serverSignature);
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** AuthMessage = client-first-message-bare "," server-first-message "," client-final-message-without-proof. */
    public static byte[] authMessage(String clientFirstBare, String serverFirst, String clientFinalWithoutProof) {
        return (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof).getBytes(StandardCharsets.UTF_8);
    }

    /** The channel binding of a gs2 header "n,," (no binding, no authzid) in base64: "biws". */
    public static String channelBinding(String authorizationId) {
        String header = authorizationId.isEmpty() ? "n,," : "n,a=" + escape(authorizationId) + ",";
        return Base64.getEncoder().encodeToString(header.getBytes(StandardCharsets.UTF_8));
    }

    /** saslname escaping: '=' as "=3D" and ',' as "=2C". */
    public static String escape(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    public static String unescape(String saslName) {
        StringBuilder out = new StringBuilder(saslName.length());
        for (int i = 0; i < saslName.length(); i++) {
            char c = saslName.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (saslName.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (saslName.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                throw failure("invalid escape in a SCRAM name");
            }
        }
        return out.toString();
    }

    private static String attribute(String part, char name, String what) {
        if (part.length() < 2 || part.charAt(0) != name || part.charAt(1) != '=') {
            throw failure("expected the " + what + " ('" + name + "=')");
        }
        return part.substring(2);
    }

    private static String checkedNonce(String nonce) {
        if (nonce.isEmpty()) {
            throw failure("empty nonce");
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw failure("nonce has a character outside printable ASCII");
            }
        }
        return nonce;
    }

    private static Map<String, String> parsedExtensions(List<String> parts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw failure("invalid SCRAM extension");
            }
            out.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return out;
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw failure(what + " is not valid base64");
        }
    }

    private static String utf8(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }

    private static SaslAuthenticationFailure failure(String message) {
        return new SaslAuthenticationFailure("Invalid SCRAM message: " + message);
    }
}
