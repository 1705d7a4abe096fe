package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeLogDirsRequestData;
import io.tributary.protocol.message.DescribeLogDirsResponseData;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeLogDirs v1-4 ({@code kafka-log-dirs.sh}): the one data directory with its total and usable bytes and the
 * size of each requested partition's log (all partitions when the request names no topics). Partitions this broker
 * does not have are left out, as Kafka does. Stateless.
 */
public final class DescribeLogDirsHandler implements ApiHandler {
    private final BrokerState state;

    public DescribeLogDirsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DescribeLogDirsRequestData req = request.body();
        if (!state.authorizer().authorizeCluster(request, AclOperation.DESCRIBE)) {
            // As Kafka: DESCRIBE on the cluster; v3+ carries the error, older versions just get no directories.
            return CompletableFuture.completedFuture(Response.of(
                    request,
                    new DescribeLogDirsResponseData()
                            .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setResults(List.of())));
        }
        List<DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new ArrayList<>();
        if (req.topics == null) {
            for (TopicInfo t : state.topics().topics()) {
                List<Integer> all = new ArrayList<>();
                for (int p = 0; p < t.partitions(); p++) {
                    all.add(p);
                }
                add(topics, t.name(), all);
            }
        } else {
            for (DescribeLogDirsRequestData.DescribableLogDirTopic t : req.topics) {
                add(topics, t.topic, t.partitions);
            }
        }
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setErrorCode(Errors.NONE.code())
                .setLogDir(state.dataDir().toString())
                .setTopics(topics);
        try {
            FileStore store = Files.getFileStore(state.dataDir());
            dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            dir.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        return CompletableFuture.completedFuture(Response.of(
                request,
                new DescribeLogDirsResponseData()
                        .setErrorCode(Errors.NONE.code())
                        .setResults(List.of(dir))));
    }

    private void add(List<DescribeLogDirsResponseData.DescribeLogDirsTopic> out, String topic, List<Integer> parts) {
        List<DescribeLogDirsResponseData.DescribeLogDirsPartition> partitions = new ArrayList<>();
        for (int p : parts) {
            PartitionLog log = state.topics().log(new TopicPartition(topic, p));
            if (log != null) {
                partitions.add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                        .setPartitionIndex(p)
                        .setPartitionSize(log.log().size())
                        .setOffsetLag(0)
                        .setIsFutureKey(false));
            }
        }
        if (!partitions.isEmpty()) {
            out.add(new DescribeLogDirsResponseData.DescribeLogDirsTopic()
                    .setName(topic)
                    .setPartitions(partitions));
        }
    }
}
