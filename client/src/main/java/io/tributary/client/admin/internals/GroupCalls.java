package io.tributary.client.admin.internals;

import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.MemberAssignment;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.GroupState;
import io.tributary.client.common.GroupType;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.GroupIdNotFoundException;
import io.tributary.client.consumer.assignor.ConsumerProtocol;
import io.tributary.client.network.UnsupportedVersionException;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer-group calls. ListGroups goes to every broker (each lists the groups it coordinates);
 * describe and delete go to each group's coordinator. A group is described with
 * ConsumerGroupDescribe first (KIP-848 groups) and, when the coordinator says it is not a
 * consumer-protocol group or does not speak the API, with the classic DescribeGroups, which is
 * how Kafka's admin client handles both types. Stateless apart from the runtime.
 */
public final class GroupCalls {
    private final AdminRuntime runtime;

    public GroupCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    public CompletableFuture<Collection<ConsumerGroupListing>> listConsumerGroups(
            Set<GroupState> states, Set<GroupType> types, long deadlineMs) {
        return runtime.single(
                "listConsumerGroups",
                deadlineMs,
                now -> runtime.metadata(List.of(), now).thenCompose(cluster -> {
                    List<ConsumerGroupListing> out = new ArrayList<>();
                    List<CompletableFuture<Void>> parts = new ArrayList<>();
                    for (Node n : cluster.nodes().values()) {
                        ListGroupsRequestData req = new ListGroupsRequestData();
                        states.forEach(s -> req.statesFilter.add(s.toString()));
                        types.forEach(t -> req.typesFilter.add(t.toString().toLowerCase(java.util.Locale.ROOT)));
                        parts.add(runtime.sendTo(n.id(), ApiMessageType.LIST_GROUPS, req, now)
                                .thenAccept(resp -> {
                                    ListGroupsResponseData data = resp.data();
                                    Errors e = Errors.forCode(data.errorCode);
                                    if (e != Errors.NONE) {
                                        throw AdminErrors.forEntity(e, "ListGroups on broker " + n.id(), null);
                                    }
                                    synchronized (out) {
                                        for (ListGroupsResponseData.ListedGroup g : data.groups) {
                                            listing(g, states, types).ifPresent(out::add);
                                        }
                                    }
                                }));
                    }
                    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                            .thenApply(v -> (Collection<ConsumerGroupListing>) List.copyOf(out));
                }));
    }

    /** Consumer groups only (protocol type "consumer", or none for offset-only groups), filtered again client-side for brokers below ListGroups v4/v5. */
    private static Optional<ConsumerGroupListing> listing(
            ListGroupsResponseData.ListedGroup g, Set<GroupState> states, Set<GroupType> types) {
        if (!g.protocolType.isEmpty() && !g.protocolType.equals(ConsumerProtocol.PROTOCOL_TYPE)) {
            return Optional.empty();
        }
        Optional<GroupState> state =
                g.groupState.isEmpty() ? Optional.empty() : Optional.of(GroupState.parse(g.groupState));
        Optional<GroupType> type = g.groupType.isEmpty() ? Optional.empty() : Optional.of(GroupType.parse(g.groupType));
        if (!states.isEmpty() && state.isPresent() && !states.contains(state.get())) {
            return Optional.empty();
        }
        if (!types.isEmpty() && type.isPresent() && !types.contains(type.get())) {
            return Optional.empty();
        }
        return Optional.of(new ConsumerGroupListing(g.groupId, state, type, g.protocolType.isEmpty()));
    }

    public Map<String, CompletableFuture<ConsumerGroupDescription>> describeConsumerGroups(
            Collection<String> groupIds, long deadlineMs) {
        return runtime.batch("describeConsumerGroups", Set.copyOf(groupIds), deadlineMs, (open, now) -> {
            Map<String, Outcome<ConsumerGroupDescription>> out = new java.util.concurrent.ConcurrentHashMap<>();
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (String g : open) {
                parts.add(describeOne(g, now).handle((d, err) -> {
                    out.put(g, err == null ? Outcome.ok(d) : Outcome.failed(AdminRuntime.unwrap(err)));
                    return null;
                }));
            }
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> Map.copyOf(out));
        });
    }

    private CompletableFuture<ConsumerGroupDescription> describeOne(String groupId, long now) {
        ConsumerGroupDescribeRequestData req = new ConsumerGroupDescribeRequestData();
        req.groupIds.add(groupId);
        return runtime.sendToCoordinator(groupId, ApiMessageType.CONSUMER_GROUP_DESCRIBE, req, now)
                .thenApply(resp -> {
                    ConsumerGroupDescribeResponseData data = resp.data();
                    ConsumerGroupDescribeResponseData.DescribedGroup g = data.groups.get(0);
                    Errors e = Errors.forCode(g.errorCode);
                    if (e != Errors.NONE) {
                        runtime.coordinatorError(groupId, e);
                        throw AdminErrors.forGroup(e, groupId, g.errorMessage);
                    }
                    return consumerGroup(groupId, g);
                })
                .exceptionallyCompose(err -> {
                    Throwable cause = AdminRuntime.unwrap(err);
                    // Not a consumer-protocol group (or a broker without KIP-848): ask the classic way.
                    if (cause instanceof GroupIdNotFoundException
                            || cause instanceof UnsupportedVersionException
                            || cause instanceof io.tributary.client.common.errors.UnsupportedVersionException
                            || (cause instanceof ApiException a && a.error() == Errors.UNSUPPORTED_VERSION)) {
                        return describeClassic(groupId, System.currentTimeMillis());
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private ConsumerGroupDescription consumerGroup(String groupId, ConsumerGroupDescribeResponseData.DescribedGroup g) {
        List<MemberDescription> members = new ArrayList<>();
        for (ConsumerGroupDescribeResponseData.Member m : g.members) {
            members.add(new MemberDescription(
                    m.memberId,
                    Optional.ofNullable(m.instanceId),
                    m.clientId,
                    m.clientHost,
                    assignment(m.assignment),
                    Optional.of(assignment(m.targetAssignment)),
                    Optional.of(m.memberEpoch),
                    m.memberType < 0 ? Optional.empty() : Optional.of(m.memberType == 1)));
        }
        return new ConsumerGroupDescription(
                groupId,
                false,
                members,
                g.assignorName,
                GroupType.CONSUMER,
                GroupState.parse(g.groupState),
                runtime.coordinatorNode(groupId));
    }

    private static MemberAssignment assignment(ConsumerGroupDescribeResponseData.Assignment a) {
        Set<TopicPartition> tps = new HashSet<>();
        for (ConsumerGroupDescribeResponseData.TopicPartitions t : a.topicPartitions) {
            t.partitions.forEach(p -> tps.add(new TopicPartition(t.topicName, p)));
        }
        return new MemberAssignment(tps);
    }

    private CompletableFuture<ConsumerGroupDescription> describeClassic(String groupId, long now) {
        DescribeGroupsRequestData req = new DescribeGroupsRequestData();
        req.groups.add(groupId);
        return runtime.sendToCoordinator(groupId, ApiMessageType.DESCRIBE_GROUPS, req, now)
                .thenApply(resp -> {
                    DescribeGroupsResponseData data = resp.data();
                    DescribeGroupsResponseData.DescribedGroup g = data.groups.get(0);
                    Errors e = Errors.forCode(g.errorCode);
                    if (e != Errors.NONE) {
                        runtime.coordinatorError(groupId, e);
                        throw AdminErrors.forGroup(e, groupId, g.errorMessage);
                    }
                    boolean consumer = g.protocolType.equals(ConsumerProtocol.PROTOCOL_TYPE);
                    if (!g.protocolType.isEmpty() && !consumer) {
                        throw new IllegalArgumentException(
                                "Group " + groupId + " is not a consumer group (protocol type " + g.protocolType + ")");
                    }
                    List<MemberDescription> members = new ArrayList<>();
                    for (DescribeGroupsResponseData.DescribedGroupMember m : g.members) {
                        Set<TopicPartition> tps = new HashSet<>();
                        if (consumer && m.memberAssignment.length > 0) {
                            tps.addAll(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(m.memberAssignment))
                                    .partitions());
                        }
                        members.add(new MemberDescription(
                                m.memberId,
                                Optional.ofNullable(m.groupInstanceId),
                                m.clientId,
                                m.clientHost,
                                new MemberAssignment(tps),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()));
                    }
                    return new ConsumerGroupDescription(
                            groupId,
                            g.protocolType.isEmpty(),
                            members,
                            g.protocolData,
                            GroupType.CLASSIC,
                            GroupState.parse(g.groupState),
                            runtime.coordinatorNode(groupId));
                });
    }

    public Map<String, CompletableFuture<Void>> deleteConsumerGroups(Collection<String> groupIds, long deadlineMs) {
        return runtime.batch("deleteConsumerGroups", Set.copyOf(groupIds), deadlineMs, (open, now) -> {
            Map<String, Outcome<Void>> out = new java.util.concurrent.ConcurrentHashMap<>();
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (String groupId : open) {
                DeleteGroupsRequestData req = new DeleteGroupsRequestData();
                req.groupsNames.add(groupId);
                parts.add(runtime.sendToCoordinator(groupId, ApiMessageType.DELETE_GROUPS, req, now)
                        .handle((resp, err) -> {
                            if (err != null) {
                                out.put(groupId, Outcome.failed(AdminRuntime.unwrap(err)));
                                return null;
                            }
                            DeleteGroupsResponseData data = resp.data();
                            Errors e = data.results.isEmpty()
                                    ? Errors.UNKNOWN_SERVER_ERROR
                                    : Errors.forCode(data.results.get(0).errorCode);
                            if (e == Errors.NONE) {
                                out.put(groupId, Outcome.ok(null));
                            } else {
                                runtime.coordinatorError(groupId, e);
                                out.put(groupId, Outcome.failed(AdminErrors.forGroup(e, groupId, null)));
                            }
                            return null;
                        }));
            }
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> Map.copyOf(out));
        });
    }
}
