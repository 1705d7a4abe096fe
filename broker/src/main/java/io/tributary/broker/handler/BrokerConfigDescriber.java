package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import io.tributary.storage.LogConfig;
import java.util.List;
import java.util.Map;

/**
 * A broker's configs as Kafka describes them. This broker's id: every known key with its effective value (dynamic
 * per-broker over dynamic default over static over default), its source and synonyms, read-only unless Kafka lets it
 * change at run time, passwords hidden. "" (the cluster-wide default): only the keys set there. Stateless.
 */
final class BrokerConfigDescriber {
    private final BrokerState state;

    BrokerConfigDescriber(BrokerState state) {
        this.state = state;
    }

    void describe(DescribeConfigsResource r, DescribeConfigsResult res, boolean synonyms, boolean docs) {
        DynamicConfigs dynamic = state.dynamicConfigs();
        if (r.resourceName.isEmpty()) {
            describeDefault(r, res, dynamic.brokerDefault(), synonyms, docs);
            return;
        }
        BrokerConfig cfg = state.config();
        Map<String, String> own = dynamic.brokerOwn();
        Map<String, String> dflt = dynamic.brokerDefault();
        ConfigEntries.Layers layers = new ConfigEntries.Layers(own, dflt, cfg.explicitValues());
        for (BrokerConfig.Key k : BrokerConfig.keys().values()) {
            String name = k.name();
            if (ConfigEntries.skipped(r.configurationKeys, name)) {
                continue;
            }
            boolean sensitive = k.type() == BrokerConfig.Type.PASSWORD;
            List<DescribeConfigsSynonym> all = layers.synonyms(name, LogConfig.brokerKeySynonyms(name), sensitive);
            String value = own.containsKey(name)
                    ? own.get(name)
                    : dflt.containsKey(name) ? dflt.get(name) : cfg.valueString(name);
            res.configs.add(ConfigEntries.entry(
                    name, value, k.readOnly(), sensitive, ConfigEntries.brokerType(name), all, synonyms, null, docs));
        }
    }

    private static void describeDefault(
            DescribeConfigsResource r,
            DescribeConfigsResult res,
            Map<String, String> dflt,
            boolean synonyms,
            boolean docs) {
        ConfigEntries.Layers layers = new ConfigEntries.Layers(Map.of(), dflt, Map.of());
        dflt.forEach((name, value) -> {
            if (ConfigEntries.skipped(r.configurationKeys, name)) {
                return;
            }
            BrokerConfig.Key k = BrokerConfig.keys().get(name);
            boolean sensitive = k != null && k.type() == BrokerConfig.Type.PASSWORD;
            List<DescribeConfigsSynonym> all = layers.synonyms(name, List.of(name), sensitive);
            all.removeIf(s -> s.source != ConfigEntries.SOURCE_DYNAMIC_DEFAULT_BROKER);
            res.configs.add(ConfigEntries.entry(
                    name, value, false, sensitive, ConfigEntries.brokerType(name), all, synonyms, null, docs));
        });
    }
}
