package io.tributary.client.common;

import java.util.Locale;

/** Kafka's {@code GroupState}: a group's state as brokers name it (classic and KIP-848 states). */
public enum GroupState {
    UNKNOWN("Unknown"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead"),
    EMPTY("Empty"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling"),
    NOT_READY("NotReady");

    private final String name;

    GroupState(String name) {
        this.name = name;
    }

    /** Case-insensitive; anything unrecognised is UNKNOWN. */
    public static GroupState parse(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        for (GroupState s : values()) {
            if (s.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return name;
    }
}
