/**
 * The admin client's I/O thread and calls: {@link io.tributary.client.admin.internals.AdminRuntime} (retries,
 * deadlines, coordinators) and one class per area of requests, sharing the consumer's and producer's network client
 * and metadata cache ({@code io.tributary.client.internals}, {@code io.tributary.client.network}).
 */
package io.tributary.client.admin.internals;
