package io.tributary.client.admin;

/** Options of {@link Admin}'s describeUserScramCredentials (Kafka's class of the same name). */
public class DescribeUserScramCredentialsOptions extends AbstractOptions<DescribeUserScramCredentialsOptions> {}
