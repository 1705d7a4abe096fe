package io.tributary.client.admin;

import java.util.Objects;

/** Deletes a user's credential for one mechanism (Kafka's class of the same name). */
public class UserScramCredentialDeletion extends UserScramCredentialAlteration {
    private final ScramMechanism mechanism;

    public UserScramCredentialDeletion(String user, ScramMechanism mechanism) {
        super(user);
        this.mechanism = Objects.requireNonNull(mechanism);
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }
}
