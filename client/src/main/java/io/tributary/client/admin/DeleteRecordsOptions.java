package io.tributary.client.admin;

/** Options of {@link Admin}'s deleteRecords (Kafka's class of the same name). */
public class DeleteRecordsOptions extends AbstractOptions<DeleteRecordsOptions> {}
