package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base for assignors that only need partition counts: drops topics metadata does not know and
 * wraps the member → partitions map into a GroupAssignment. Stateless.
 */
public abstract class AbstractPartitionAssignor implements ConsumerPartitionAssignor {

    /** member id → partitions, for the topics in {@code partitionsPerTopic} only. */
    public abstract Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions);

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription groupSubscription) {
        Map<String, Subscription> subs = groupSubscription.groupSubscription();
        Set<String> subscribed = new HashSet<>();
        subs.values().forEach(s -> subscribed.addAll(s.topics()));
        Map<String, Integer> known = new HashMap<>();
        for (String topic : subscribed) {
            Integer n = partitionsPerTopic.get(topic);
            if (n != null && n > 0) {
                known.put(topic, n);
            }
        }
        Map<String, List<TopicPartition>> raw = assign(known, subs);
        Map<String, Assignment> out = new HashMap<>();
        raw.forEach((member, parts) -> out.put(member, new Assignment(parts)));
        return new GroupAssignment(out);
    }

    static List<TopicPartition> partitions(String topic, int count) {
        TopicPartition[] out = new TopicPartition[count];
        for (int i = 0; i < count; i++) {
            out[i] = new TopicPartition(topic, i);
        }
        return List.of(out);
    }
}
