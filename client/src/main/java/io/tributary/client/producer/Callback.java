package io.tributary.client.producer;

/** Called on the producer's I/O thread when a send completes; exactly one argument is null. */
@FunctionalInterface
public interface Callback {
    void onCompletion(RecordMetadata metadata, Exception exception);
}
