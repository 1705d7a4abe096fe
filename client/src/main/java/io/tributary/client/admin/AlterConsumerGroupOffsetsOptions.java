package io.tributary.client.admin;

/** Options of {@link Admin}'s alterConsumerGroupOffsets (Kafka's class of the same name). */
public class AlterConsumerGroupOffsetsOptions extends AbstractOptions<AlterConsumerGroupOffsetsOptions> {}
