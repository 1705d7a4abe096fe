package io.tributary.storage;

import io.tributary.protocol.Errors;

/**
 * What an append did: the offsets given to the batches (or, for a recognised retry of an
 * idempotent batch, the offsets it got the first time, with {@code duplicate} set and error
 * NONE, as Kafka answers), or the error. Offsets are -1 on error.
 */
public record AppendResult(
        Errors error, String errorMessage, long baseOffset, long lastOffset, long logStartOffset, boolean duplicate) {

    static AppendResult error(Errors error, String message, long logStartOffset) {
        return new AppendResult(error, message, -1, -1, logStartOffset, false);
    }

    public boolean ok() {
        return error == Errors.NONE;
    }
}
