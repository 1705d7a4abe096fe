/**
 * Internals shared by the consumer and the producer (issue 12, item 4): bootstrap address
 * resolution, the metadata cache and its snapshot. The network client is in {@code
 * io.tributary.client.network}; configuration parsing in {@code io.tributary.client.common.ConfigDef}.
 */
package io.tributary.client.internals;
