package io.tributary.client.admin;

/** Options of {@link Admin}'s deleteConsumerGroups (Kafka's class of the same name). */
public class DeleteConsumerGroupsOptions extends AbstractOptions<DeleteConsumerGroupsOptions> {}
