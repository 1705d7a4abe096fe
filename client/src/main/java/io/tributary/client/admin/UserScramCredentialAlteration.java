package io.tributary.client.admin;

import java.util.Objects;

/** An upsertion or deletion of one of a user's SCRAM credentials (Kafka's class of the same name). */
public abstract class UserScramCredentialAlteration {
    protected final String user;

    protected UserScramCredentialAlteration(String user) {
        this.user = Objects.requireNonNull(user);
    }

    public String user() {
        return user;
    }
}
