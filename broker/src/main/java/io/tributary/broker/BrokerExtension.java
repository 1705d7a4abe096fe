package io.tributary.broker;

/**
 * Something installed into a broker before it starts listening, such as the group coordinator:
 * it registers its handlers with {@link TributaryBroker#apis()} (so the very first ApiVersions
 * answer advertises them) and may use {@link TributaryBroker#state()} (topics, logs, config).
 * {@link #close()} runs during shutdown after connections are closed and before the logs are.
 * Install and close are called by the thread that starts/stops the broker.
 */
public interface BrokerExtension extends AutoCloseable {
    void install(TributaryBroker broker);

    @Override
    default void close() {}
}
