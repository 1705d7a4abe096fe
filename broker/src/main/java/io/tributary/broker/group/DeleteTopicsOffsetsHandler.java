package io.tributary.broker.group;

import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTopics around the broker's own handler: once topics are deleted, their committed offsets
 * are dropped from every group (Kafka's onPartitionsDeleted). The answer waits for the
 * coordinator's tombstones to be durable, so a client that recreates the topic never sees old
 * offsets; a coordinator failure is logged and does not fail the deletion. Stateless.
 */
final class DeleteTopicsOffsetsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteTopicsOffsetsHandler.class);

    private final ApiHandler deleteTopics;
    private final GroupCoordinator coordinator;

    DeleteTopicsOffsetsHandler(ApiHandler deleteTopics, GroupCoordinator coordinator) {
        this.deleteTopics = deleteTopics;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        return deleteTopics.handle(request).thenCompose(response -> {
            if (response == null || !(response.body() instanceof DeleteTopicsResponseData body)) {
                return CompletableFuture.completedFuture(response);
            }
            Set<String> deleted = new HashSet<>();
            for (DeleteTopicsResponseData.DeletableTopicResult r : body.responses) {
                if (r.errorCode == 0 && r.name != null) {
                    deleted.add(r.name);
                }
            }
            if (deleted.isEmpty()) {
                return CompletableFuture.completedFuture(response);
            }
            return coordinator.onTopicsDeleted(deleted).handle((v, t) -> {
                if (t != null) {
                    LOG.warn("Dropping committed offsets of deleted topics {} failed: {}", deleted, t.toString());
                }
                return response;
            });
        });
    }
}
