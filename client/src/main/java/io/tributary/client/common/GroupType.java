package io.tributary.client.common;

import java.util.Locale;

/** Kafka's {@code GroupType}: the rebalance protocol a group runs (KIP-848's consumer or the classic one). */
public enum GroupType {
    UNKNOWN("Unknown"),
    CONSUMER("Consumer"),
    CLASSIC("Classic"),
    SHARE("Share"),
    STREAMS("Streams");

    private final String name;

    GroupType(String name) {
        this.name = name;
    }

    /** Case-insensitive, as brokers send "classic"/"consumer"; anything else is UNKNOWN. */
    public static GroupType parse(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        for (GroupType t : values()) {
            if (t.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return name;
    }
}
