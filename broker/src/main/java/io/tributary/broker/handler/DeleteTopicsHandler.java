package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.topic.TopicResult;
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
            TopicResult r = state.topics().delete(name);
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
}
