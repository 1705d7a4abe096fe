package io.tributary.client.admin.internals;

import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.common.config.ConfigResource;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.DescribeConfigsRequestData;
import io.tributary.protocol.message.DescribeConfigsResponseData;
import io.tributary.protocol.message.IncrementalAlterConfigsRequestData;
import io.tributary.protocol.message.IncrementalAlterConfigsResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * DescribeConfigs and IncrementalAlterConfigs. A named broker's configs go to that broker (only
 * it knows its static and per-broker values, as in Kafka); topics, groups and the cluster-wide
 * broker default go to any broker. Stateless apart from the runtime.
 */
public final class ConfigCalls {
    private static final int ANY = Integer.MIN_VALUE;

    private final AdminRuntime runtime;

    public ConfigCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    public Map<ConfigResource, CompletableFuture<Config>> describeConfigs(
            Collection<ConfigResource> resources,
            boolean includeSynonyms,
            boolean includeDocumentation,
            long deadlineMs) {
        return runtime.batch(
                "describeConfigs",
                Set.copyOf(resources),
                deadlineMs,
                (open, now) -> perNode(
                        open,
                        now,
                        ApiMessageType.DESCRIBE_CONFIGS,
                        group -> {
                            DescribeConfigsRequestData req = new DescribeConfigsRequestData()
                                    .setIncludeSynonyms(includeSynonyms)
                                    .setIncludeDocumentation(includeDocumentation);
                            group.forEach(
                                    r -> req.resources.add(new DescribeConfigsRequestData.DescribeConfigsResource()
                                            .setResourceType(r.type().id())
                                            .setResourceName(r.name())
                                            .setConfigurationKeys(null)));
                            return req;
                        },
                        resp -> {
                            DescribeConfigsResponseData data = resp.data();
                            Map<ConfigResource, Outcome<Config>> out = new HashMap<>();
                            for (DescribeConfigsResponseData.DescribeConfigsResult r : data.results) {
                                ConfigResource res =
                                        new ConfigResource(ConfigResource.Type.forId(r.resourceType), r.resourceName);
                                Errors e = Errors.forCode(r.errorCode);
                                if (e != Errors.NONE) {
                                    out.put(
                                            res,
                                            Outcome.failed(AdminErrors.forEntity(e, describe(res), r.errorMessage)));
                                    continue;
                                }
                                List<ConfigEntry> entries = new ArrayList<>();
                                for (DescribeConfigsResponseData.DescribeConfigsResourceResult c : r.configs) {
                                    List<ConfigEntry.ConfigSynonym> synonyms = new ArrayList<>();
                                    c.synonyms.forEach(s -> synonyms.add(new ConfigEntry.ConfigSynonym(
                                            s.name, s.value, ConfigEntry.ConfigSource.forId(s.source))));
                                    entries.add(new ConfigEntry(
                                            c.name,
                                            c.value,
                                            ConfigEntry.ConfigSource.forId(c.configSource),
                                            c.isSensitive,
                                            c.readOnly,
                                            synonyms,
                                            ConfigEntry.ConfigType.forId(c.configType),
                                            c.documentation));
                                }
                                out.put(res, Outcome.ok(new Config(entries)));
                            }
                            return out;
                        }));
    }

    public Map<ConfigResource, CompletableFuture<Void>> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> configs, boolean validateOnly, long deadlineMs) {
        return runtime.batch(
                "incrementalAlterConfigs",
                configs.keySet(),
                deadlineMs,
                (open, now) -> perNode(
                        open,
                        now,
                        ApiMessageType.INCREMENTAL_ALTER_CONFIGS,
                        group -> {
                            IncrementalAlterConfigsRequestData req =
                                    new IncrementalAlterConfigsRequestData().setValidateOnly(validateOnly);
                            for (ConfigResource r : group) {
                                IncrementalAlterConfigsRequestData.AlterConfigsResource res =
                                        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                                                .setResourceType(r.type().id())
                                                .setResourceName(r.name());
                                for (AlterConfigOp op : configs.get(r)) {
                                    res.configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                                            .setName(op.configEntry().name())
                                            .setConfigOperation(op.opType().id())
                                            .setValue(op.configEntry().value()));
                                }
                                req.resources.add(res);
                            }
                            return req;
                        },
                        resp -> {
                            IncrementalAlterConfigsResponseData data = resp.data();
                            Map<ConfigResource, Outcome<Void>> out = new HashMap<>();
                            for (IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse r : data.responses) {
                                ConfigResource res =
                                        new ConfigResource(ConfigResource.Type.forId(r.resourceType), r.resourceName);
                                Errors e = Errors.forCode(r.errorCode);
                                out.put(
                                        res,
                                        e == Errors.NONE
                                                ? Outcome.ok(null)
                                                : Outcome.failed(
                                                        AdminErrors.forEntity(e, describe(res), r.errorMessage)));
                            }
                            return out;
                        }));
    }

    static String describe(ConfigResource r) {
        String kind = switch (r.type()) {
            case TOPIC -> "Topic";
            case BROKER -> "Broker";
            case GROUP -> "Group";
            case BROKER_LOGGER -> "Broker logger";
            case CLIENT_METRICS -> "Client metrics";
            default -> "Resource";
        };
        return kind + " '" + r.name() + "'";
    }

    /** Splits resources by the broker that must answer, sends one request each, merges the answers. */
    private <V> CompletableFuture<Map<ConfigResource, Outcome<V>>> perNode(
            Set<ConfigResource> open,
            long now,
            ApiMessageType api,
            Function<List<ConfigResource>, ApiMessage> request,
            Function<Response, Map<ConfigResource, Outcome<V>>> parse) {
        Map<Integer, List<ConfigResource>> byNode = new LinkedHashMap<>();
        Map<ConfigResource, Outcome<V>> out = new HashMap<>();
        for (ConfigResource r : open) {
            int node = ANY;
            if ((r.type() == ConfigResource.Type.BROKER || r.type() == ConfigResource.Type.BROKER_LOGGER)
                    && !r.isDefault()) {
                try {
                    node = Integer.parseInt(r.name());
                } catch (NumberFormatException e) {
                    out.put(
                            r,
                            Outcome.failed(new io.tributary.client.common.errors.InvalidRequestException(
                                    describe(r) + ": a broker is named by its numeric id")));
                    continue;
                }
            }
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(r);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        byNode.forEach((node, group) -> {
            ApiMessage req = request.apply(group);
            CompletableFuture<Response> sent =
                    node == ANY ? runtime.sendAny(api, req, now) : runtime.sendTo(node, api, req, now);
            parts.add(sent.handle((resp, err) -> {
                if (err != null) {
                    group.forEach(r -> out.put(r, Outcome.failed(AdminRuntime.unwrap(err))));
                } else {
                    out.putAll(parse.apply(resp));
                }
                return null;
            }));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> out);
    }
}
