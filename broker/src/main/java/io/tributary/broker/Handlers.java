package io.tributary.broker;

import io.tributary.broker.handler.ApiVersionsHandler;
import io.tributary.broker.handler.CreatePartitionsHandler;
import io.tributary.broker.handler.CreateTopicsHandler;
import io.tributary.broker.handler.DeleteTopicsHandler;
import io.tributary.broker.handler.DescribeClusterHandler;
import io.tributary.broker.handler.DescribeConfigsHandler;
import io.tributary.broker.handler.FetchHandler;
import io.tributary.broker.handler.InitProducerIdHandler;
import io.tributary.broker.handler.ListOffsetsHandler;
import io.tributary.broker.handler.MetadataHandler;
import io.tributary.broker.handler.ProduceHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.ApiSupport;

/** Registers the broker's own handlers (one class per API). Called once at start-up. */
final class Handlers {
    private Handlers() {}

    static void registerAll(ApiRegistry registry, BrokerState state) {
        registry.register(ApiSupport.API_VERSIONS, new ApiVersionsHandler(registry));
        registry.register(ApiSupport.PRODUCE, new ProduceHandler(state));
        registry.register(ApiSupport.FETCH, new FetchHandler(state));
        registry.register(ApiSupport.LIST_OFFSETS, new ListOffsetsHandler(state));
        registry.register(ApiSupport.METADATA, new MetadataHandler(state));
        registry.register(ApiSupport.CREATE_TOPICS, new CreateTopicsHandler(state));
        registry.register(ApiSupport.DELETE_TOPICS, new DeleteTopicsHandler(state));
        registry.register(ApiSupport.INIT_PRODUCER_ID, new InitProducerIdHandler(state));
        registry.register(ApiSupport.DESCRIBE_CONFIGS, new DescribeConfigsHandler(state));
        registry.register(ApiSupport.CREATE_PARTITIONS, new CreatePartitionsHandler(state));
        registry.register(ApiSupport.DESCRIBE_CLUSTER, new DescribeClusterHandler(state));
    }
}
