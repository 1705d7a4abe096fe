package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeCluster: this single broker, which is also the controller. Stateless. */
public final class DescribeClusterHandler implements ApiHandler {
    private final BrokerState state;

    public DescribeClusterHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        List<DescribeClusterResponseData.DescribeClusterBroker> brokers = new ArrayList<>();
        brokers.add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(state.nodeId())
                .setHost(request.connection().listener().advertisedHost())
                .setPort(request.connection().listener().advertisedPort())
                .setRack(null));
        DescribeClusterResponseData resp = new DescribeClusterResponseData()
                .setErrorCode(Errors.NONE.code())
                .setClusterId(state.clusterId())
                .setControllerId(state.nodeId())
                .setBrokers(brokers);
        DescribeClusterRequestData req = request.body();
        if (req.includeClusterAuthorizedOperations) {
            // As Kafka: DescribeCluster itself needs no permission; the operations are shown only with DESCRIBE.
            RequestAuthorizer auth = state.authorizer();
            resp.setClusterAuthorizedOperations(
                    auth.authorizeCluster(request, AclOperation.DESCRIBE)
                            ? auth.authorizedOperations(
                                    request,
                                    ResourceType.CLUSTER,
                                    ResourceType.CLUSTER_NAME,
                                    RequestAuthorizer.CLUSTER_OPERATIONS)
                            : 0);
        }
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }
}
