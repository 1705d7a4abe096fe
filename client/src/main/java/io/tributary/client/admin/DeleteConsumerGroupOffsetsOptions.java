package io.tributary.client.admin;

/** Options of {@link Admin}'s deleteConsumerGroupOffsets (Kafka's class of the same name). */
public class DeleteConsumerGroupOffsetsOptions extends AbstractOptions<DeleteConsumerGroupOffsetsOptions> {}
