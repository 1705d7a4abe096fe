package io.tributary.coordinator.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic group and the transitions allowed between them. The names are the ones
 * Kafka shows in DescribeGroups/ListGroups ("PreparingRebalance", ...), which tools parse.
 */
public enum ClassicGroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String displayName;
    private Set<ClassicGroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
    }

    ClassicGroupState(String displayName) {
        this.displayName = displayName;
    }

    public boolean canTransitionFrom(ClassicGroupState previous) {
        return validPrevious.contains(previous);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
