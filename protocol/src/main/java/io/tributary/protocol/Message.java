package io.tributary.protocol;

/**
 * A struct of the Kafka protocol that knows how to read and write itself at a given version.
 * Generated classes implement it; instances are plain mutable data owned by one thread at a time.
 */
public interface Message {
    void read(ProtocolReader reader, short version);

    void write(ProtocolWriter writer, short version);
}
