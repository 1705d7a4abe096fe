package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import java.util.Map;

/** Completion of an asynchronous commit; runs on the application thread, in commit order. */
@FunctionalInterface
public interface OffsetCommitCallback {
    /** @param exception null on success, else why the commit failed (the offsets were not stored) */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
