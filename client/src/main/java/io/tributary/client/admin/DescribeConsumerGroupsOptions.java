package io.tributary.client.admin;

/** Options of {@link Admin}'s describeConsumerGroups (Kafka's class of the same name). */
public class DescribeConsumerGroupsOptions extends AbstractOptions<DescribeConsumerGroupsOptions> {}
