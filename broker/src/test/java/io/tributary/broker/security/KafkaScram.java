package io.tributary.broker.security;

import io.tributary.protocol.sasl.ScramMechanism;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslClient;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/** Apache Kafka's own SCRAM client (what every Java Kafka client runs), as the peer our server tests talk to. */
final class KafkaScram {
    private KafkaScram() {}

    /** The first token is {@code evaluateChallenge(new byte[0])}. */
    static SaslClient client(ScramMechanism mechanism, String user, String password) throws Exception {
        return new ScramSaslClient(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
                        mechanism.mechanismName()),
                callbacks -> {
                    for (Callback c : callbacks) {
                        if (c instanceof NameCallback n) {
                            n.setName(user);
                        } else if (c instanceof PasswordCallback p) {
                            p.setPassword(password.toCharArray());
                        } else if (!(c instanceof ScramExtensionsCallback)) {
                            throw new UnsupportedCallbackException(c);
                        }
                    }
                });
    }
}
