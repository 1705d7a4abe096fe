package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreatePartitionsRequestData;
import io.tributary.protocol.message.CreatePartitionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** CreatePartitions v0-3 (v1-3 add nothing a single node answers differently; v2 is flexible): grows topics; assignments, if given, must name this broker only. Stateless. */
public final class CreatePartitionsHandler implements ApiHandler {
    private final BrokerState state;

    public CreatePartitionsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        CreatePartitionsRequestData req = request.body();
        List<CreatePartitionsResponseData.CreatePartitionsTopicResult> results = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : req.topics) {
            TopicResult r = null;
            if (!state.authorizer().authorize(request, AclOperation.ALTER, ResourceType.TOPIC, t.name)) {
                r = TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
            } else if (t.assignments != null) {
                for (CreatePartitionsRequestData.CreatePartitionsAssignment a : t.assignments) {
                    if (!a.brokerIds.equals(List.of(state.nodeId()))) {
                        r = TopicResult.of(
                                Errors.INVALID_REPLICA_ASSIGNMENT,
                                "Replica assignment " + a.brokerIds + " must name only broker " + state.nodeId());
                    }
                }
            }
            if (r == null) {
                r = state.topics().createPartitions(t.name, t.count, req.validateOnly);
            }
            results.add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(t.name)
                    .setErrorCode(r.error().code())
                    .setErrorMessage(r.message()));
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new CreatePartitionsResponseData().setResults(results)));
    }
}
