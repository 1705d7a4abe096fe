package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per topic, splits the partitions into contiguous ranges over the members subscribed to it,
 * in {@link MemberInfo} order; the first (partitions % members) members get one extra.
 * Same result as Kafka's RangeAssignor when no racks are configured. Stateless.
 */
public class RangeAssignor extends AbstractPartitionAssignor {
    public static final String RANGE_ASSIGNOR_NAME = "range";

    @Override
    public String name() {
        return RANGE_ASSIGNOR_NAME;
    }

    @Override
    public Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<MemberInfo>> membersPerTopic = new HashMap<>();
        Map<String, List<TopicPartition>> assignment = new HashMap<>();
        subscriptions.forEach((memberId, sub) -> {
            assignment.put(memberId, new ArrayList<>());
            for (String topic : sub.topics()) {
                membersPerTopic
                        .computeIfAbsent(topic, t -> new ArrayList<>())
                        .add(new MemberInfo(memberId, sub.groupInstanceId()));
            }
        });
        List<String> topics = new ArrayList<>(partitionsPerTopic.keySet());
        Collections.sort(topics);
        for (String topic : topics) {
            List<MemberInfo> members = membersPerTopic.get(topic);
            if (members == null || members.isEmpty()) {
                continue;
            }
            Collections.sort(members);
            int numPartitions = partitionsPerTopic.get(topic);
            int perMember = numPartitions / members.size();
            int withExtra = numPartitions % members.size();
            for (int i = 0; i < members.size(); i++) {
                int start = perMember * i + Math.min(i, withExtra);
                int length = perMember + (i + 1 > withExtra ? 0 : 1);
                List<TopicPartition> target = assignment.get(members.get(i).memberId());
                for (int p = start; p < start + length; p++) {
                    target.add(new TopicPartition(topic, p));
                }
            }
        }
        return assignment;
    }
}
