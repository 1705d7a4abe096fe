package io.tributary.coordinator.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the coordinator's internal log: opaque key and value bytes as encoded by
 * {@code io.tributary.coordinator.record.RecordCodec}. A null value is a tombstone for the key.
 */
public record CoordinatorRecord(byte[] key, byte[] value) {
    public CoordinatorRecord {
        Objects.requireNonNull(key, "key");
    }

    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoordinatorRecord r && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CoordinatorRecord(key " + key.length + " bytes, "
                + (value == null ? "tombstone" : value.length + " bytes") + ")";
    }
}
