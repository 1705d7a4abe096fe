/**
 * Kafka's exception types from {@code org.apache.kafka.common.errors} that the admin client raises (issue 12): each
 * an {@link io.tributary.client.common.ApiException} carrying its error code, with a message naming the entity.
 */
package io.tributary.client.common.errors;
