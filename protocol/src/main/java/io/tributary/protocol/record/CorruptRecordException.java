package io.tributary.protocol.record;

import io.tributary.protocol.Errors;

/**
 * Record data that cannot be trusted: a bad CRC, a batch that does not fit its buffer, a
 * truncated or malformed record, an unsupported magic or codec, or compressed data that does not
 * decompress. It is the only exception the record readers throw for bad input; it maps to
 * {@link Errors#CORRUPT_MESSAGE} on the wire.
 */
public class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    public Errors error() {
        return Errors.CORRUPT_MESSAGE;
    }
}
