package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.dynamic.GroupConfigKeys;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeConfigsRequestData.DescribeConfigsResource;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsResult;
import io.tributary.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A group's configs (resource type 32) as Kafka describes them, whether or not the group exists: each group key with
 * the group's value (source GROUP_CONFIG) or the broker's (its {@code group.*} key, static or default), with both as
 * synonyms. Stateless.
 */
final class GroupConfigDescriber {
    private final BrokerState state;

    GroupConfigDescriber(BrokerState state) {
        this.state = state;
    }

    void describe(DescribeConfigsResource r, DescribeConfigsResult res, boolean synonyms, boolean docs) {
        if (r.resourceName.isEmpty()) {
            res.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Group name must not be empty");
            return;
        }
        Map<String, String> set = state.dynamicConfigs().group(r.resourceName);
        for (GroupConfigKeys.Key k : GroupConfigKeys.keys().values()) {
            if (ConfigEntries.skipped(r.configurationKeys, k.name())) {
                continue;
            }
            List<DescribeConfigsSynonym> all = new ArrayList<>();
            String value = set.get(k.name());
            if (value != null) {
                all.add(ConfigEntries.synonym(k.name(), value, ConfigEntries.SOURCE_GROUP));
            }
            String brokerValue = GroupConfigKeys.isBrokerKey(k.brokerKey())
                    ? state.config().valueString(k.brokerKey())
                    : GroupConfigKeys.brokerDefaults().get(k.brokerKey());
            byte brokerSource = state.config().isExplicit(k.brokerKey())
                    ? ConfigEntries.SOURCE_STATIC_BROKER
                    : ConfigEntries.SOURCE_DEFAULT;
            all.add(ConfigEntries.synonym(k.brokerKey(), brokerValue, brokerSource));
            byte type = switch (k.kind()) {
                case INT -> ConfigEntries.TYPE_INT;
                case BOOLEAN -> ConfigEntries.TYPE_BOOLEAN;
                case STRING -> ConfigEntries.TYPE_STRING;
            };
            res.configs.add(ConfigEntries.entry(
                    k.name(), value != null ? value : brokerValue, false, false, type, all, synonyms, k.doc(), docs));
        }
    }
}
