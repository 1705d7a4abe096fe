package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Deals all partitions (topics by name, partitions by number) to the members in
 * {@link MemberInfo} order, one at a time, skipping members not subscribed to the topic.
 * Same result as Kafka's RoundRobinAssignor. Stateless.
 */
public class RoundRobinAssignor extends AbstractPartitionAssignor {
    public static final String ROUNDROBIN_ASSIGNOR_NAME = "roundrobin";

    @Override
    public String name() {
        return ROUNDROBIN_ASSIGNOR_NAME;
    }

    @Override
    public Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> assignment = new HashMap<>();
        List<MemberInfo> members = new ArrayList<>();
        TreeSet<String> topics = new TreeSet<>();
        subscriptions.forEach((memberId, sub) -> {
            assignment.put(memberId, new ArrayList<>());
            members.add(new MemberInfo(memberId, sub.groupInstanceId()));
            topics.addAll(sub.topics());
        });
        if (members.isEmpty()) {
            return assignment;
        }
        Collections.sort(members);
        int next = 0;
        for (String topic : topics) {
            Integer count = partitionsPerTopic.get(topic);
            if (count == null) {
                continue;
            }
            for (int p = 0; p < count; p++) {
                // Some member is subscribed to this topic, so this terminates.
                while (!subscriptions.get(members.get(next).memberId()).topics().contains(topic)) {
                    next = (next + 1) % members.size();
                }
                assignment.get(members.get(next).memberId()).add(new TopicPartition(topic, p));
                next = (next + 1) % members.size();
            }
        }
        return assignment;
    }
}
