package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/**
 * Another producer with the same transactional.id has started (its InitProducerId bumped the
 * epoch), or the coordinator fenced this one: PRODUCER_FENCED or INVALID_PRODUCER_EPOCH. Fatal:
 * the only thing left to do with the producer is close it (issue 12).
 */
public class ProducerFencedException extends ApiException {
    private static final long serialVersionUID = 1L;

    public ProducerFencedException(Errors error, String context) {
        super(error, context);
    }
}
