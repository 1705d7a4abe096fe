package io.tributary.broker.group;

import io.tributary.broker.TributaryBroker;
import io.tributary.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real brokers for the group tests: ephemeral port, fast group settings. */
final class GroupBrokers {
    private GroupBrokers() {}

    static Map<String, String> props(Path dir, int port, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port);
        props.put(BrokerConfig.NUM_NETWORK_THREADS, "2");
        props.put(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100");
        props.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        props.putAll(overrides);
        return props;
    }

    static TributaryBroker start(Path dir) {
        return start(dir, 0, Map.of());
    }

    static TributaryBroker start(Path dir, int port, Map<String, String> overrides) {
        return TributaryBroker.start(
                BrokerConfig.fromMap(props(dir, port, overrides)), new GroupCoordinatorExtension());
    }

    /** Closes the broker and starts a new one on the same directory and port (like EmbeddedBroker.restart()). */
    static TributaryBroker restart(TributaryBroker broker, Map<String, String> overrides) {
        Path dir = broker.dataDir();
        int port = broker.boundPort();
        broker.close();
        return start(dir, port, overrides);
    }
}
