package io.tributary.client.admin;

/** Options of {@link Admin}'s describeCluster (Kafka's class of the same name). */
public class DescribeClusterOptions extends AbstractOptions<DescribeClusterOptions> {}
