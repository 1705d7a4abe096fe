package io.tributary.client.admin;

/**
 * The SCRAM mechanism of a user's credential as the admin API names it (Kafka's enum of the same name, KIP-554):
 * the type byte on the wire, with {@link #UNKNOWN} for codes this client does not know.
 */
public enum ScramMechanism {
    UNKNOWN((byte) 0),
    SCRAM_SHA_256((byte) 1),
    SCRAM_SHA_512((byte) 2);

    private final byte type;

    ScramMechanism(byte type) {
        this.type = type;
    }

    public byte type() {
        return type;
    }

    /** e.g. {@code SCRAM-SHA-256}; {@code UNKNOWN} for the unknown mechanism. */
    public String mechanismName() {
        return this == UNKNOWN ? "UNKNOWN" : name().replace('_', '-');
    }

    public static ScramMechanism fromType(byte type) {
        for (ScramMechanism m : values()) {
            if (m.type == type) {
                return m;
            }
        }
        return UNKNOWN;
    }

    /** Case-sensitive as Kafka's: {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}, else {@link #UNKNOWN}. */
    public static ScramMechanism fromMechanismName(String mechanismName) {
        for (ScramMechanism m : values()) {
            if (m != UNKNOWN && m.mechanismName().equals(mechanismName)) {
                return m;
            }
        }
        return UNKNOWN;
    }
}
