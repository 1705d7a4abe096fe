package io.tributary.broker.security;

import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.util.Optional;

/** Where a SASL server finds a user's stored SCRAM credential (the broker's metadata store in production). */
@FunctionalInterface
public interface CredentialLookup {
    Optional<ScramCredential> scramCredential(String username, ScramMechanism mechanism);
}
