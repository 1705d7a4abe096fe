package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** A record's batch was never sent because its transaction was aborted first (issue 12). */
public class TransactionAbortedException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public TransactionAbortedException(String message) {
        super(message);
    }
}
