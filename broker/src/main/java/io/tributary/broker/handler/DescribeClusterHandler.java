package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeCluster v0-2: this single broker, which is also the controller. A broker answers only for
 * broker endpoints (endpoint type 1, v1+); as Kafka, another known type is MISMATCHED_ENDPOINT_TYPE
 * and an unknown one UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0, which cannot name them).
 * This node is never fenced (v2). Stateless.
 */
public final class DescribeClusterHandler implements ApiHandler {
    /** KIP-919 endpoint types: a broker's endpoints and a controller's. */
    private static final byte BROKER_ENDPOINT = 1;

    private static final byte CONTROLLER_ENDPOINT = 2;

    private final BrokerState state;

    public DescribeClusterHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DescribeClusterRequestData req = request.body();
        if (req.endpointType != BROKER_ENDPOINT) {
            boolean known = req.endpointType == CONTROLLER_ENDPOINT;
            Errors error = request.apiVersion() == 0
                    ? Errors.INVALID_REQUEST
                    : known ? Errors.MISMATCHED_ENDPOINT_TYPE : Errors.UNSUPPORTED_ENDPOINT_TYPE;
            return CompletableFuture.completedFuture(Response.of(
                    request,
                    new DescribeClusterResponseData()
                            .setErrorCode(error.code())
                            .setErrorMessage(
                                    known
                                            ? "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER"
                                            : "Unsupported endpoint type " + req.endpointType)
                            .setClusterId("")
                            .setBrokers(new ArrayList<>())));
        }
        List<DescribeClusterResponseData.DescribeClusterBroker> brokers = new ArrayList<>();
        brokers.add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(state.nodeId())
                .setHost(request.connection().listener().advertisedHost())
                .setPort(request.connection().listener().advertisedPort())
                .setRack(null)
                .setIsFenced(false));
        DescribeClusterResponseData resp = new DescribeClusterResponseData()
                .setErrorCode(Errors.NONE.code())
                .setEndpointType(BROKER_ENDPOINT)
                .setClusterId(state.clusterId())
                .setControllerId(state.nodeId())
                .setBrokers(brokers);
        if (req.includeClusterAuthorizedOperations) {
            // As Kafka: DescribeCluster itself needs no permission; the operations are shown only with DESCRIBE.
            RequestAuthorizer auth = state.authorizer();
            resp.setClusterAuthorizedOperations(auth.clusterAuthorizedOperations(request));
        }
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }
}
