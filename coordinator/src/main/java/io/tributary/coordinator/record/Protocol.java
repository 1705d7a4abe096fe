package io.tributary.coordinator.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One (name, metadata) entry a member offered in JoinGroup; the metadata stays opaque bytes. A
 * plain value carried both by a live group member and by its persisted record, so it lives with
 * the records: the group package depends on this package, never the other way round.
 */
public record Protocol(String name, byte[] metadata) {
    public Protocol {
        Objects.requireNonNull(name, "name");
        metadata = metadata == null ? new byte[0] : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Protocol p && name.equals(p.name) && Arrays.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name + "(" + metadata.length + " bytes)";
    }
}
