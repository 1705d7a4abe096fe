package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The principal may not write with this transactional.id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED). Fatal. */
public class TransactionalIdAuthorizationException extends ApiException {
    private static final long serialVersionUID = 1L;

    public TransactionalIdAuthorizationException(String context) {
        super(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, context);
    }
}
