package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** A record larger than max.request.size or buffer.memory, as Kafka's (issue 12). */
public class RecordTooLargeException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }
}
