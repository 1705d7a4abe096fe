package io.tributary.client.admin;

/** Options of {@link Admin}'s describeTopics (Kafka's class of the same name). */
public class DescribeTopicsOptions extends AbstractOptions<DescribeTopicsOptions> {}
