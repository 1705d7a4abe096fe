package io.tributary.client.common;

/** Kafka's {@code IsolationLevel}: which offsets ListOffsets may answer (LSO for READ_COMMITTED). */
public enum IsolationLevel {
    READ_UNCOMMITTED((byte) 0),
    READ_COMMITTED((byte) 1);

    private final byte id;

    IsolationLevel(byte id) {
        this.id = id;
    }

    public byte id() {
        return id;
    }
}
