package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DeleteTopics v1: deletes each named topic and its logs. Stateless. */
public final class DeleteTopicsHandler implements ApiHandler {
    private final BrokerState state;

    public DeleteTopicsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DeleteTopicsRequestData req = request.body();
        List<DeleteTopicsResponseData.DeletableTopicResult> results = new ArrayList<>();
        for (String name : req.topicNames) {
            TopicResult r = deleteIfAllowed(request, name);
            if (r.error().code() == 0) {
                state.purgatory().onTopicDeleted(name);
            }
            results.add(new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(name)
                    .setErrorCode(r.error().code())
                    .setErrorMessage(r.message()));
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DeleteTopicsResponseData().setResponses(results)));
    }

    /**
     * As Kafka's controller: a topic the client may not describe is refused whether or not it exists; one it may
     * describe but that does not exist is unknown; one it may describe but not delete is refused.
     */
    private TopicResult deleteIfAllowed(Request request, String name) {
        if (!state.authorizer().authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        if (state.topics().topic(name) != null
                && !state.authorizer().authorize(request, AclOperation.DELETE, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        return state.topics().delete(name);
    }
}
