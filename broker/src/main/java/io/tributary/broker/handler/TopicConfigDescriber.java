package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import io.tributary.storage.LogConfig;
import io.tributary.storage.TopicNames;
import java.util.ArrayList;
import java.util.List;

/**
 * A topic's configs as Kafka describes them: every topic-level key with its effective value; an override's source is
 * DYNAMIC_TOPIC_CONFIG, else that of the broker key it falls back to (dynamic per broker, dynamic default, static,
 * default), with those broker keys as synonyms. Stateless.
 */
final class TopicConfigDescriber {
    private final BrokerState state;

    TopicConfigDescriber(BrokerState state) {
        this.state = state;
    }

    void describe(DescribeConfigsResource r, DescribeConfigsResult res, boolean synonyms, boolean docs) {
        String invalid = TopicNames.invalidReason(r.resourceName);
        if (invalid != null) {
            res.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(invalid);
            return;
        }
        TopicInfo t = state.topics().topic(r.resourceName);
        if (t == null) {
            res.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("The topic '" + r.resourceName + "' does not exist.");
            return;
        }
        DynamicConfigs dynamic = state.dynamicConfigs();
        ConfigEntries.Layers layers = new ConfigEntries.Layers(
                dynamic.brokerOwn(), dynamic.brokerDefault(), state.config().explicitValues());
        LogConfig lc = state.topics().logConfig(t);
        for (String name : LogConfig.TOPIC_CONFIG_NAMES) {
            if (ConfigEntries.skipped(r.configurationKeys, name)) {
                continue;
            }
            List<String> family = LogConfig.brokerSynonyms(name);
            List<DescribeConfigsSynonym> all = new ArrayList<>();
            String override = lc.overrides().get(name);
            if (override != null) {
                all.add(ConfigEntries.synonym(name, override, ConfigEntries.SOURCE_DYNAMIC_TOPIC));
            }
            if (!family.isEmpty()) {
                all.addAll(layers.synonyms(family.get(0), family, false));
            }
            res.configs.add(ConfigEntries.entry(
                    name, lc.get(name), false, false, ConfigEntries.topicType(name), all, synonyms, null, docs));
        }
    }
}
