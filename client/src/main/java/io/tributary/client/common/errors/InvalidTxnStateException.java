package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The coordinator refused a transactional request in its current state (INVALID_TXN_STATE). Fatal. */
public class InvalidTxnStateException extends ApiException {
    private static final long serialVersionUID = 1L;

    public InvalidTxnStateException(String context) {
        super(Errors.INVALID_TXN_STATE, context);
    }
}
