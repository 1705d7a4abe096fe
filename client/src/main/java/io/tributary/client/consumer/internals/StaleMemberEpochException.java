package io.tributary.client.consumer.internals;

import io.tributary.client.common.errors.ApiException;
import io.tributary.protocol.Errors;

/**
 * An OffsetCommit carried a member epoch the coordinator has moved past (KIP-848's
 * STALE_MEMBER_EPOCH). Unlike the error code's default, retriable: the next attempt reads the
 * epoch the latest ConsumerGroupHeartbeat gave the member, as Apache's consumer retries it.
 */
final class StaleMemberEpochException extends ApiException {
    private static final long serialVersionUID = 1L;

    StaleMemberEpochException(String context) {
        super(Errors.STALE_MEMBER_EPOCH, context);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
