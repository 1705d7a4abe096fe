package io.tributary.broker;

import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.ListOffsetsRequestData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.record.BaseRecords;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builders for the requests the data-path tests send, and a decoder for fetched records. */
final class Wire {
    private Wire() {}

    static MemoryRecords records(long timestamp, String... values) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE);
        for (String v : values) {
            b.append(timestamp, null, v.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    static MemoryRecords idempotentRecords(long pid, short epoch, int seq, String... values) {
        MemoryRecordsBuilder b =
                MemoryRecordsBuilder.forProduce(CompressionType.NONE).producerState(pid, epoch, seq);
        for (String v : values) {
            b.append(1000L, null, v.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    static ProduceRequestData produce(String topic, int partition, short acks, MemoryRecords records) {
        List<ProduceRequestData.PartitionProduceData> parts = new ArrayList<>();
        parts.add(new ProduceRequestData.PartitionProduceData()
                .setIndex(partition)
                .setRecords(records));
        List<ProduceRequestData.TopicProduceData> topics = new ArrayList<>();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(parts));
        return new ProduceRequestData()
                .setAcks(acks)
                .setTimeoutMs(30_000)
                .setTransactionalId(null)
                .setTopicData(topics);
    }

    static FetchRequestData fetch(int maxWaitMs, int minBytes, int maxBytes, Object... topicPartitionOffsetMax) {
        List<FetchRequestData.FetchTopic> topics = new ArrayList<>();
        for (int i = 0; i < topicPartitionOffsetMax.length; i += 4) {
            String topic = (String) topicPartitionOffsetMax[i];
            FetchRequestData.FetchTopic t = topics.stream()
                    .filter(x -> x.topic.equals(topic))
                    .findFirst()
                    .orElse(null);
            if (t == null) {
                t = new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(new ArrayList<>());
                topics.add(t);
            }
            t.partitions.add(new FetchRequestData.FetchPartition()
                    .setPartition((Integer) topicPartitionOffsetMax[i + 1])
                    .setFetchOffset(((Number) topicPartitionOffsetMax[i + 2]).longValue())
                    .setPartitionMaxBytes((Integer) topicPartitionOffsetMax[i + 3])
                    .setCurrentLeaderEpoch(-1)
                    .setLogStartOffset(-1));
        }
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(maxBytes)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(topics)
                .setForgottenTopicsData(new ArrayList<>())
                .setRackId("");
    }

    static ListOffsetsRequestData listOffsets(String topic, int partition, long timestamp) {
        List<ListOffsetsRequestData.ListOffsetsPartition> parts = new ArrayList<>();
        parts.add(new ListOffsetsRequestData.ListOffsetsPartition()
                .setPartitionIndex(partition)
                .setTimestamp(timestamp));
        List<ListOffsetsRequestData.ListOffsetsTopic> topics = new ArrayList<>();
        topics.add(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(parts));
        return new ListOffsetsRequestData().setReplicaId(-1).setTopics(topics);
    }

    static MetadataRequestData metadata(boolean autoCreate, String... topics) {
        List<MetadataRequestData.MetadataRequestTopic> ts = new ArrayList<>();
        for (String t : topics) {
            ts.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
        }
        return new MetadataRequestData().setTopics(ts).setAllowAutoTopicCreation(autoCreate);
    }

    /** Record values with their offsets, from fetched record data. */
    static List<String> values(BaseRecords records) {
        List<String> out = new ArrayList<>();
        for (Record r : decode(records)) {
            ByteBuffer v = r.value();
            byte[] b = new byte[v.remaining()];
            v.duplicate().get(b);
            out.add(r.offset() + ":" + new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<Record> decode(BaseRecords records) {
        List<Record> out = new ArrayList<>();
        if (records == null) {
            return out;
        }
        ByteBuffer buf = ((MemoryRecords) records).buffer();
        int pos = buf.position();
        while (pos < buf.limit()) {
            RecordBatch batch = RecordBatch.at(buf, pos);
            batch.ensureValid();
            for (Record r : batch) {
                out.add(r);
            }
            pos += batch.sizeInBytes();
        }
        return out;
    }

    static int batchCount(BaseRecords records) {
        ByteBuffer buf = ((MemoryRecords) records).buffer();
        int n = 0;
        for (int pos = buf.position();
                pos < buf.limit();
                pos += RecordBatch.at(buf, pos).sizeInBytes()) {
            n++;
        }
        return n;
    }
}
