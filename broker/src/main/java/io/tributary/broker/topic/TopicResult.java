package io.tributary.broker.topic;

import io.tributary.protocol.Errors;

/** Outcome of a topic operation: an error code and, when it failed, a message for the client. */
public record TopicResult(Errors error, String message) {
    public static final TopicResult OK = new TopicResult(Errors.NONE, null);

    public static TopicResult of(Errors error, String message) {
        return new TopicResult(error, message);
    }
}
