package io.tributary.client.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * A committed (or to-be-committed) position: the offset of the NEXT record to read, an optional
 * leader epoch and a free-form metadata string. Immutable.
 */
public final class OffsetAndMetadata {
    private final long offset;
    private final String metadata;
    private final Integer leaderEpoch;

    public OffsetAndMetadata(long offset) {
        this(offset, Optional.empty(), "");
    }

    public OffsetAndMetadata(long offset, String metadata) {
        this(offset, Optional.empty(), metadata);
    }

    public OffsetAndMetadata(long offset, Optional<Integer> leaderEpoch, String metadata) {
        if (offset < 0) {
            throw new IllegalArgumentException("Invalid negative offset " + offset);
        }
        this.offset = offset;
        this.leaderEpoch = leaderEpoch.orElse(null);
        // Kafka treats a null metadata string as empty on the wire.
        this.metadata = metadata == null ? "" : metadata;
    }

    public long offset() {
        return offset;
    }

    public String metadata() {
        return metadata;
    }

    public Optional<Integer> leaderEpoch() {
        return leaderEpoch == null || leaderEpoch < 0 ? Optional.empty() : Optional.of(leaderEpoch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetAndMetadata m
                && offset == m.offset
                && metadata.equals(m.metadata)
                && Objects.equals(leaderEpoch(), m.leaderEpoch());
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, metadata, leaderEpoch());
    }

    @Override
    public String toString() {
        return "OffsetAndMetadata{offset=" + offset + ", leaderEpoch=" + leaderEpoch + ", metadata='" + metadata + "'}";
    }
}
