package io.tributary.interop.support;

/**
 * A broker a scenario talks to, whichever implementation is behind it.
 *
 * <p>Owned by the test (or JVM-wide holder) that obtained it; methods are called from the test
 * thread.
 */
public interface RunningBroker extends AutoCloseable {

    /** Which implementation this is. */
    Target target();

    /** {@code host:port} clients connect to; the port is the one the OS really bound. */
    String bootstrapServers();

    /** Host part of {@link #bootstrapServers()}. */
    default String host() {
        String bootstrap = bootstrapServers();
        return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    /** Port part of {@link #bootstrapServers()}. */
    default int port() {
        String bootstrap = bootstrapServers();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    /** Whether {@link #restart()} is supported. */
    default boolean canRestart() {
        return false;
    }

    /** Stops the broker cleanly and starts it again on the same data. */
    default void restart() {
        throw new UnsupportedOperationException(target() + " broker cannot be restarted here");
    }

    /** Stops the broker; unchecked, so try-with-resources needs no catch. */
    @Override
    void close();
}
