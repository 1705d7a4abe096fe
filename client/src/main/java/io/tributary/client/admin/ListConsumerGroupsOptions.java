package io.tributary.client.admin;

/** Options of {@link Admin}'s listConsumerGroups (Kafka's class of the same name). */
public class ListConsumerGroupsOptions extends AbstractOptions<ListConsumerGroupsOptions> {
    private java.util.Set<io.tributary.client.common.GroupState> states = java.util.Set.of();
    private java.util.Set<io.tributary.client.common.GroupType> types = java.util.Set.of();

    /** Only groups in these states; empty means all (the broker filters, ListGroups v4+). */
    public ListConsumerGroupsOptions inGroupStates(java.util.Set<io.tributary.client.common.GroupState> states) {
        this.states = states == null ? java.util.Set.of() : java.util.Set.copyOf(states);
        return this;
    }

    /** Only groups of these types; empty means all (the broker filters, ListGroups v5+). */
    public ListConsumerGroupsOptions withTypes(java.util.Set<io.tributary.client.common.GroupType> types) {
        this.types = types == null ? java.util.Set.of() : java.util.Set.copyOf(types);
        return this;
    }

    public java.util.Set<io.tributary.client.common.GroupState> groupStates() {
        return states;
    }

    public java.util.Set<io.tributary.client.common.GroupType> types() {
        return types;
    }
}
