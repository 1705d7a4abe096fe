package io.tributary.bench;

/**
 * One broker a benchmark drives: its name in the printed tables, where to connect, and what it
 * was configured with. Owned by the benchmark's main thread, which closes it.
 */
interface BrokerUnderTest extends AutoCloseable {
    /** {@code tributary} or {@code apache}. */
    String name();

    String bootstrapServers();

    /** The settings that matter for a fair comparison, for the printed header. */
    String describeSettings();

    @Override
    void close();
}
