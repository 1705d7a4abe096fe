/**
 * Kafka's exception types from {@code org.apache.kafka.common.errors}, shared by the consumer, the producer and the admin
 * client (issue 12), so that a Kafka user's {@code catch} clauses port by changing the import. Those answering a broker
 * error are {@link io.tributary.client.common.errors.ApiException}s carrying its error code, with a message naming the
 * entity; {@link io.tributary.client.common.TributaryException} (Kafka's {@code KafkaException}) stays in
 * {@code io.tributary.client.common}.
 */
package io.tributary.client.common.errors;
