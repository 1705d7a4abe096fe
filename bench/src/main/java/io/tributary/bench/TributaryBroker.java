package io.tributary.bench;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.testkit.EmbeddedBroker;
import java.util.Map;

/**
 * Our broker in this JVM through the testkit's {@link EmbeddedBroker} (temporary data directory,
 * ephemeral port, deleted on close). Owned by the benchmark main thread.
 */
final class TributaryBroker implements BrokerUnderTest {
    /** Our broker cannot run here; the message says why. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final EmbeddedBroker broker;
    private final Map<String, String> overrides;

    private TributaryBroker(EmbeddedBroker broker, Map<String, String> overrides) {
        this.broker = broker;
        this.overrides = overrides;
    }

    /** Starts with {@code overrides} (Kafka config key names) on top of the testkit defaults. */
    static TributaryBroker start(Map<String, String> overrides) throws UnavailableException {
        try {
            return new TributaryBroker(EmbeddedBroker.start(overrides), Map.copyOf(overrides));
        } catch (RuntimeException e) {
            throw new UnavailableException("EmbeddedBroker.start failed: " + e, e);
        }
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** host:port of the SASL_SSL listener, when the overrides declare one. */
    String saslSslBootstrap() {
        return broker.bootstrapServers("SASL_SSL");
    }

    @Override
    public String describeSettings() {
        BrokerConfig config = broker.broker().config();
        return "Tributary EmbeddedBroker, log.flush.interval.messages=" + config.flushIntervalMessages()
                + ", group.initial.rebalance.delay.ms="
                + config.valueString(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS)
                + ", num.network.threads=" + config.numNetworkThreads()
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides);
    }

    @Override
    public void close() {
        try {
            broker.close();
        } catch (RuntimeException e) {
            System.err.println("tributary: did not shut down cleanly: " + e);
        }
    }
}
