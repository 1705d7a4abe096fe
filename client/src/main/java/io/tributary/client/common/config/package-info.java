/** Kafka's {@code org.apache.kafka.common.config} types the admin client uses ({@code ConfigResource}). */
package io.tributary.client.common.config;
