package io.tributary.broker;

import io.tributary.broker.handler.ApiVersionsHandler;
import io.tributary.broker.handler.DescribeClusterHandler;
import io.tributary.broker.handler.InitProducerIdHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.ApiSupport;

/** Registers the broker's own handlers (one class per API). Called once at start-up. */
final class Handlers {
    private Handlers() {}

    static void registerAll(ApiRegistry registry, BrokerState state) {
        registry.register(ApiSupport.API_VERSIONS, new ApiVersionsHandler(registry));
        registry.register(ApiSupport.INIT_PRODUCER_ID, new InitProducerIdHandler(state));
        registry.register(ApiSupport.DESCRIBE_CLUSTER, new DescribeClusterHandler(state));
    }
}
