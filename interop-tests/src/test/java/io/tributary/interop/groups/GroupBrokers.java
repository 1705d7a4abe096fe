package io.tributary.interop.groups;

import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.util.EnumMap;
import java.util.Map;

/**
 * One broker per {@link Target} for the group scenarios, started on first use and stopped at JVM
 * exit. It differs from {@link Target#shared()} only in the broker-side group settings (B2): a
 * low {@code group.min.session.timeout.ms}, so crash scenarios wait seconds rather than the
 * default minimum of 6 s, no initial rebalance delay, and a one-minute offset retention.
 *
 * <p>Thread-safety: {@link #get(Target)} is synchronized. Tests use their own topics and groups.
 */
public final class GroupBrokers {
    /** B2 settings both brokers get; Apache's names and meanings. */
    static final Map<String, String> GROUP_SETTINGS = Map.of(
            "group.min.session.timeout.ms", "1000",
            "group.initial.rebalance.delay.ms", "0",
            // The shortest retention Kafka accepts, checked every second, so expiry (G11) is testable;
            // no other scenario leaves a group empty for a minute and then reads its offsets.
            "offsets.retention.minutes", "1",
            "offsets.retention.check.interval.ms", "1000");

    private static final Map<Target, RunningBroker> BROKERS = new EnumMap<>(Target.class);
    private static final Map<Target, RuntimeException> FAILURES = new EnumMap<>(Target.class);

    private GroupBrokers() {}

    public static synchronized RunningBroker get(Target target) {
        RuntimeException failure = FAILURES.get(target);
        if (failure != null) {
            throw new IllegalStateException("the " + target + " group broker failed to start earlier", failure);
        }
        RunningBroker broker = BROKERS.get(target);
        if (broker == null) {
            try {
                broker = target.startDedicated(GROUP_SETTINGS);
            } catch (RuntimeException e) {
                FAILURES.put(target, e);
                throw e;
            }
            RunningBroker started = broker;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    started.close();
                                } catch (Exception e) {
                                    // best effort at JVM exit
                                }
                            },
                            "group-broker-shutdown-" + target));
            BROKERS.put(target, broker);
        }
        return broker;
    }
}
