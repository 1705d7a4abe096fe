/**
 * The admin client (issue 12, item 2): Kafka's {@code org.apache.kafka.clients.admin} API ({@link
 * io.tributary.client.admin.Admin}, {@link io.tributary.client.admin.TributaryAdmin}, options, results and the
 * entity types), so Kafka code ports by changing imports. See docs/design/client-admin.md.
 */
package io.tributary.client.admin;
