package io.tributary.client.admin;

/** Options of {@link Admin}'s alterUserScramCredentials (Kafka's class of the same name). */
public class AlterUserScramCredentialsOptions extends AbstractOptions<AlterUserScramCredentialsOptions> {}
