package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.group.GroupCoordinatorExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts a real broker on an ephemeral port in a test directory. */
final class BrokerTestSupport {
    private BrokerTestSupport() {}

    static TributaryBroker start(Path dir) {
        return start(dir, Map.of());
    }

    static TributaryBroker start(Path dir, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("log.dirs", dir.toString());
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("num.network.threads", "2");
        props.putAll(overrides);
        return TributaryBroker.start(BrokerConfig.fromMap(props), new GroupCoordinatorExtension());
    }
}
