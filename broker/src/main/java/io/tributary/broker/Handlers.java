package io.tributary.broker;

import io.tributary.broker.handler.AlterConfigsHandler;
import io.tributary.broker.handler.ApiVersionsHandler;
import io.tributary.broker.handler.CreatePartitionsHandler;
import io.tributary.broker.handler.CreateTopicsHandler;
import io.tributary.broker.handler.DeleteRecordsHandler;
import io.tributary.broker.handler.DeleteTopicsHandler;
import io.tributary.broker.handler.DescribeClusterHandler;
import io.tributary.broker.handler.DescribeConfigsHandler;
import io.tributary.broker.handler.DescribeLogDirsHandler;
import io.tributary.broker.handler.DescribeProducersHandler;
import io.tributary.broker.handler.FetchHandler;
import io.tributary.broker.handler.InitProducerIdHandler;
import io.tributary.broker.handler.ListOffsetsHandler;
import io.tributary.broker.handler.MetadataHandler;
import io.tributary.broker.handler.OffsetForLeaderEpochHandler;
import io.tributary.broker.handler.ProduceHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.protocol.message.ApiMessageType;

/** Registers the broker's own handlers (one class per API). Called once at start-up. */
final class Handlers {
    private Handlers() {}

    static void registerAll(ApiRegistry registry, BrokerState state) {
        registry.register(ApiMessageType.API_VERSIONS, new ApiVersionsHandler(registry));
        registry.register(ApiMessageType.PRODUCE, new ProduceHandler(state));
        registry.register(ApiMessageType.FETCH, new FetchHandler(state));
        registry.register(ApiMessageType.LIST_OFFSETS, new ListOffsetsHandler(state));
        registry.register(ApiMessageType.METADATA, new MetadataHandler(state));
        registry.register(ApiMessageType.CREATE_TOPICS, new CreateTopicsHandler(state));
        registry.register(ApiMessageType.DELETE_TOPICS, new DeleteTopicsHandler(state));
        registry.register(ApiMessageType.INIT_PRODUCER_ID, new InitProducerIdHandler(state));
        registry.register(ApiMessageType.DESCRIBE_CONFIGS, new DescribeConfigsHandler(state));
        AlterConfigsHandler alterConfigs = new AlterConfigsHandler(state);
        registry.register(ApiMessageType.ALTER_CONFIGS, alterConfigs);
        registry.register(ApiMessageType.INCREMENTAL_ALTER_CONFIGS, alterConfigs);
        registry.register(ApiMessageType.CREATE_PARTITIONS, new CreatePartitionsHandler(state));
        registry.register(ApiMessageType.DESCRIBE_CLUSTER, new DescribeClusterHandler(state));
        registry.register(ApiMessageType.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(state));
        registry.register(ApiMessageType.DELETE_RECORDS, new DeleteRecordsHandler(state));
        registry.register(ApiMessageType.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(state));
        registry.register(ApiMessageType.DESCRIBE_PRODUCERS, new DescribeProducersHandler(state));
    }
}
