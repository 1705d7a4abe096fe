package io.tributary.client.admin;

import java.util.Objects;

/** A mechanism and iteration count of one of a user's SCRAM credentials (Kafka's class of the same name). */
public class ScramCredentialInfo {
    private final ScramMechanism mechanism;
    private final int iterations;

    public ScramCredentialInfo(ScramMechanism mechanism, int iterations) {
        this.mechanism = Objects.requireNonNull(mechanism);
        this.iterations = iterations;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    public int iterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentialInfo other && mechanism == other.mechanism && iterations == other.iterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, iterations);
    }

    @Override
    public String toString() {
        return "ScramCredentialInfo{mechanism=" + mechanism + ", iterations=" + iterations + "}";
    }
}
