package io.tributary.client.admin;

import java.util.List;
import java.util.Objects;

/** A user's SCRAM credentials, without secrets (Kafka's class of the same name). */
public class UserScramCredentialsDescription {
    private final String name;
    private final List<ScramCredentialInfo> credentialInfos;

    public UserScramCredentialsDescription(String name, List<ScramCredentialInfo> credentialInfos) {
        this.name = Objects.requireNonNull(name);
        this.credentialInfos = List.copyOf(credentialInfos);
    }

    public String name() {
        return name;
    }

    public List<ScramCredentialInfo> credentialInfos() {
        return credentialInfos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserScramCredentialsDescription other
                && name.equals(other.name)
                && credentialInfos.equals(other.credentialInfos);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, credentialInfos);
    }

    @Override
    public String toString() {
        return "UserScramCredentialsDescription{name='" + name + "', credentialInfos=" + credentialInfos + "}";
    }
}
