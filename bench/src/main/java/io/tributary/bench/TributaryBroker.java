package io.tributary.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Our broker in this JVM through {@code io.tributary.testkit.EmbeddedBroker}.
 *
 * <p>Bound by name rather than at compile time so bench builds and its Apache half runs on
 * branches where the broker has not landed; {@link #start} then throws
 * {@link UnavailableException} with the reason, and the benchmark prints it and goes on.
 *
 * <p>Owned by the benchmark main thread.
 */
final class TributaryBroker implements BrokerUnderTest {
    static final String EMBEDDED_BROKER = "io.tributary.testkit.EmbeddedBroker";

    /** Our broker cannot run here; the message says why. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Object broker;
    private final Map<String, String> overrides;

    private TributaryBroker(Object broker, Map<String, String> overrides) {
        this.broker = broker;
        this.overrides = overrides;
    }

    /** Starts with {@code overrides} (Kafka config key names) if the testkit accepts a map. */
    static TributaryBroker start(Map<String, String> overrides) throws UnavailableException {
        Class<?> type;
        try {
            type = Class.forName(EMBEDDED_BROKER);
        } catch (ClassNotFoundException e) {
            throw new UnavailableException(EMBEDDED_BROKER
                    + " is not on the class path (the broker branch is not merged here)", e);
        }
        try {
            Object broker;
            Map<String, String> applied = overrides;
            try {
                broker = type.getMethod("start", Map.class).invoke(null, overrides);
            } catch (NoSuchMethodException e) {
                if (!overrides.isEmpty()) {
                    System.out.println("tributary: EmbeddedBroker has no start(Map); settings "
                            + overrides + " NOT applied");
                }
                applied = Map.of();
                broker = type.getMethod("start").invoke(null);
            }
            return new TributaryBroker(broker, applied);
        } catch (InvocationTargetException e) {
            throw new UnavailableException("EmbeddedBroker.start failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnavailableException(EMBEDDED_BROKER + " lacks start()/bootstrapServers()/close(): " + e, e);
        }
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public String bootstrapServers() {
        return (String) call("bootstrapServers");
    }

    @Override
    public String describeSettings() {
        return "Tributary EmbeddedBroker" + (overrides.isEmpty() ? " (defaults)" : ", settings=" + overrides);
    }

    @Override
    public void close() {
        try {
            call("close");
        } catch (RuntimeException e) {
            System.err.println("tributary: did not shut down cleanly: " + e);
        }
    }

    private Object call(String method) {
        try {
            return broker.getClass().getMethod(method).invoke(broker);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("EmbeddedBroker." + method + "() failed", e);
        }
    }
}
