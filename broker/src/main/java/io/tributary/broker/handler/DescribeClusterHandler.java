package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.protocol.Errors;
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
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }
}
