package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** A commit was attempted while the group rebalances; poll to finish the rebalance, then retry. */
public class RebalanceInProgressException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public RebalanceInProgressException(String message) {
        super(message);
    }
}
