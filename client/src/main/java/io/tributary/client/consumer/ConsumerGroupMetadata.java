package io.tributary.client.consumer;

import java.util.Optional;

/** The member's view of its group: id, generation, member id and static instance id. Immutable. */
public record ConsumerGroupMetadata(
        String groupId, int generationId, String memberId, Optional<String> groupInstanceId) {}
