package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A SCRAM credential the broker will not store (e.g. too few or too many iterations, an empty user name). Kafka's type of the same name (error code UNACCEPTABLE_CREDENTIAL). */
public class UnacceptableCredentialException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity */
    public UnacceptableCredentialException(String context) {
        super(Errors.UNACCEPTABLE_CREDENTIAL, context);
    }
}
