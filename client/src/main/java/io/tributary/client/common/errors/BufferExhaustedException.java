package io.tributary.client.common.errors;

/**
 * The producer could not get buffer memory for a record within max.block.ms: records are produced faster than the
 * brokers take them, or buffer.memory is too small. Kafka's type of the same name (a {@link TimeoutException}).
 */
public class BufferExhaustedException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public BufferExhaustedException(String message) {
        super(message);
    }
}
