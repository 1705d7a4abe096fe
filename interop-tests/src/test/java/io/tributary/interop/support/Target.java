package io.tributary.interop.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The broker implementations every interop scenario runs against. Use as the parameter of a
 * {@code @ParameterizedTest @EnumSource(Target.class)} and call {@link #shared()} inside the
 * test, so a broker that fails to start fails only its own invocations.
 *
 * <p>{@link #shared()} brokers live for the whole JVM and are shared by all test classes: tests
 * must use their own topic names and must not restart or reconfigure them. Tests that restart
 * or crash a broker take a {@link #startDedicated(Map)} one (or a {@link TributaryProcess}).
 *
 * <p>Thread-safety: {@link #shared()} is synchronized; everything else is per caller.
 */
public enum Target {
    /** Our broker, embedded in this JVM through the testkit. */
    TRIBUTARY,
    /** Apache Kafka 4.3.1 in KRaft mode, embedded in this JVM. */
    APACHE;

    /** Broker settings both implementations receive, so scenarios see the same behaviour. */
    public static final Map<String, String> COMMON_SETTINGS = Map.of("group.initial.rebalance.delay.ms", "0");

    /**
     * Every target, or only those named in the system property {@code interop.targets} (comma
     * separated, e.g. {@code TRIBUTARY}), to repeat one broker's cases while chasing a problem.
     */
    public static Stream<Target> selected() {
        String only = System.getProperty("interop.targets", "").trim();
        if (only.isEmpty()) {
            return Arrays.stream(values());
        }
        return Arrays.stream(only.split(",")).map(s -> valueOf(s.trim().toUpperCase(Locale.ROOT)));
    }

    private RunningBroker shared;
    /** Why the shared broker could not start; later callers fail at once with the same cause. */
    private RuntimeException sharedStartFailure;

    /** The JVM-wide broker of this kind, started on first use and stopped at JVM exit. */
    public synchronized RunningBroker shared() {
        if (sharedStartFailure != null) {
            throw new IllegalStateException(
                    "the shared " + this + " broker failed to start earlier", sharedStartFailure);
        }
        if (shared == null) {
            try {
                shared = startShared();
            } catch (RuntimeException e) {
                sharedStartFailure = e;
                throw e;
            }
        }
        return shared;
    }

    private RunningBroker startShared() {
        if (this == APACHE) {
            return new ApacheBroker(ApacheKafka.shared(), false);
        }
        RunningBroker started = startDedicated(Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started), "tributary-shutdown"));
        return started;
    }

    /** A broker only the caller uses, with {@link #COMMON_SETTINGS} plus {@code overrides}. */
    public RunningBroker startDedicated(Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(COMMON_SETTINGS);
        config.putAll(overrides);
        if (this == APACHE) {
            return new ApacheBroker(ApacheKafka.start(config), true);
        }
        return TributaryEmbedded.start(config);
    }

    private static void closeQuietly(RunningBroker broker) {
        try {
            broker.close();
        } catch (RuntimeException e) {
            // Best effort at JVM exit; the temp dirs are the only thing left behind.
        }
    }

    private static final class ApacheBroker implements RunningBroker {
        private final ApacheKafka kafka;
        private final boolean owned;

        ApacheBroker(ApacheKafka kafka, boolean owned) {
            this.kafka = kafka;
            this.owned = owned;
        }

        @Override
        public Target target() {
            return APACHE;
        }

        @Override
        public String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        /** Only a dedicated broker may be restarted; the shared one serves other test classes. */
        @Override
        public boolean canRestart() {
            return owned;
        }

        @Override
        public void restart() {
            if (!owned) {
                throw new UnsupportedOperationException("the shared APACHE broker cannot be restarted");
            }
            try {
                kafka.restartBroker();
            } catch (Exception e) {
                throw new IllegalStateException("Apache Kafka broker restart failed", e);
            }
        }

        @Override
        public void close() {
            if (owned) {
                kafka.close();
            }
        }

        @Override
        public String toString() {
            return "APACHE@" + bootstrapServers();
        }
    }
}
