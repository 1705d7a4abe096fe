package io.tributary.client.admin;

/** Options of {@link Admin}'s deleteTopics (Kafka's class of the same name). */
public class DeleteTopicsOptions extends AbstractOptions<DeleteTopicsOptions> {}
