package io.tributary.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the brokers a run compares ({@code --brokers tributary,apache}, both by default) with
 * the same {@code --broker-prop k=v} settings plus per-broker {@code --tributary-prop} /
 * {@code --apache-prop}, and closes them all. A broker that cannot start here (ours, before the
 * broker branch lands) is reported and left out, so the rest of the run still happens.
 *
 * <p>Owned by the benchmark main thread.
 */
final class Brokers implements AutoCloseable {
    private final List<BrokerUnderTest> started = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    static Brokers start(Args args, Map<String, String> sharedDefaults) {
        Brokers brokers = new Brokers();
        Map<String, String> shared = new LinkedHashMap<>(sharedDefaults);
        shared.putAll(args.properties("broker-prop"));
        for (String name : args.list("brokers", "tributary,apache")) {
            Map<String, String> settings = new LinkedHashMap<>(shared);
            settings.putAll(args.properties(name + "-prop"));
            long startNs = System.nanoTime();
            try {
                BrokerUnderTest broker = switch (name) {
                    case "tributary" -> TributaryBroker.start(settings);
                    case "apache" -> ApacheBroker.start(settings);
                    default -> throw new IllegalArgumentException("unknown broker " + name + " (tributary|apache)");
                };
                brokers.started.add(broker);
                System.out.printf(
                        "%-9s started at %s in %d ms: %s%n",
                        name,
                        broker.bootstrapServers(),
                        (System.nanoTime() - startNs) / 1_000_000,
                        broker.describeSettings());
            } catch (TributaryBroker.UnavailableException e) {
                brokers.skipped.add(name);
                System.out.println("tributary SKIPPED: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                brokers.close();
                throw e;
            } catch (Exception e) {
                brokers.close();
                throw new IllegalStateException(name + " did not start", e);
            }
        }
        return brokers;
    }

    List<BrokerUnderTest> all() {
        return started;
    }

    List<String> skipped() {
        return skipped;
    }

    @Override
    public void close() {
        for (BrokerUnderTest broker : started) {
            broker.close();
        }
        started.clear();
    }
}
