package io.tributary.broker.extension;

/**
 * Something installed into a broker before it starts listening, such as the group coordinator:
 * it registers its handlers with {@link BrokerContext#apis()} (so the very first ApiVersions
 * answer advertises them) and may use the rest of its {@link BrokerContext} (topics, config,
 * identity). The broker installs exactly the extensions its caller passes, in that order.
 * {@link #close()} runs during shutdown after connections are closed and before the logs are.
 * Install and close are called by the thread that starts/stops the broker.
 */
public interface BrokerExtension extends AutoCloseable {
    void install(BrokerContext broker);

    @Override
    default void close() {}
}
