package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DeleteTopics v1-6: deletes each named topic and its logs. From v6 a topic is named by name or by
 * id (not both, as Kafka's controller insists); an unknown id is UNKNOWN_TOPIC_ID, and a deleted
 * topic is answered with its id. A name or id listed twice is INVALID_REQUEST, as in Kafka.
 * Stateless.
 */
public final class DeleteTopicsHandler implements ApiHandler {
    private final BrokerState state;

    public DeleteTopicsHandler(BrokerState state) {
        this.state = state;
    }

    /** One entry of the request: a name, an id, or (v6) something Kafka refuses outright. */
    private record Named(String name, UUID id, TopicResult refused) {}

    @Override
    public CompletionStage<Response> handle(Request request) {
        DeleteTopicsRequestData req = request.body();
        List<DeleteTopicsResponseData.DeletableTopicResult> results = new ArrayList<>();
        for (Named n : entries(req, request.apiVersion())) {
            DeleteTopicsResponseData.DeletableTopicResult res = n.refused != null
                    ? result(n.name, n.id == null ? Uuids.ZERO : n.id, n.refused)
                    : n.id == null ? byName(request, n) : byId(request, n);
            if (res.errorCode == Errors.NONE.code()) {
                state.purgatory().onTopicDeleted(res.name);
            }
            results.add(res);
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DeleteTopicsResponseData().setResponses(results)));
    }

    /** The request's topics in order, one entry per distinct name or id; repeats are refused once. */
    private static List<Named> entries(DeleteTopicsRequestData req, short version) {
        List<Named> raw = new ArrayList<>();
        if (version < 6) {
            for (String name : req.topicNames) {
                raw.add(new Named(name, null, null));
            }
        } else {
            for (DeleteTopicsRequestData.DeleteTopicState t : req.topics) {
                boolean hasId = t.topicId != null && !Uuids.ZERO.equals(t.topicId);
                if (t.name == null && !hasId) {
                    raw.add(refused(null, Uuids.ZERO, "Neither topic name nor id were specified."));
                } else if (t.name != null && hasId) {
                    raw.add(refused(t.name, t.topicId, "You may not specify both topic name and topic id."));
                } else {
                    raw.add(new Named(t.name, hasId ? t.topicId : null, null));
                }
            }
        }
        Map<Object, Integer> counts = new LinkedHashMap<>();
        for (Named n : raw) {
            if (n.refused == null) {
                counts.merge(n.id != null ? n.id : n.name, 1, Integer::sum);
            }
        }
        Set<Object> answered = new HashSet<>();
        List<Named> out = new ArrayList<>();
        for (Named n : raw) {
            Object key = n.id != null ? n.id : n.name;
            if (n.refused != null) {
                out.add(n);
            } else if (counts.get(key) > 1) {
                if (answered.add(key)) {
                    out.add(refused(n.name, n.id, n.id != null ? "Duplicate topic id." : "Duplicate topic name."));
                }
            } else {
                out.add(n);
            }
        }
        return out;
    }

    private static Named refused(String name, UUID id, String message) {
        return new Named(name, id, TopicResult.of(Errors.INVALID_REQUEST, message));
    }

    private DeleteTopicsResponseData.DeletableTopicResult byName(Request request, Named n) {
        TopicInfo before = state.topics().topic(n.name);
        TopicResult r = deleteIfAllowed(request, n.name);
        return result(n.name, r.error() == Errors.NONE && before != null ? before.topicId() : Uuids.ZERO, r);
    }

    /**
     * As Kafka's controller for a topic named by id: unknown is UNKNOWN_TOPIC_ID; refused is
     * TOPIC_AUTHORIZATION_FAILED, with the name only if the client may describe the topic.
     */
    private DeleteTopicsResponseData.DeletableTopicResult byId(Request request, Named n) {
        TopicInfo t = state.topics().topic(n.id);
        if (t == null) {
            return result(null, n.id, TopicResult.of(Errors.UNKNOWN_TOPIC_ID, null));
        }
        boolean describable =
                state.authorizer().authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name());
        if (!describable || !state.authorizer().authorize(request, AclOperation.DELETE, ResourceType.TOPIC, t.name())) {
            return result(describable ? t.name() : null, n.id, TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null));
        }
        return result(t.name(), n.id, state.topics().delete(t.name()));
    }

    private static DeleteTopicsResponseData.DeletableTopicResult result(String name, UUID id, TopicResult r) {
        return new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(r.error().code())
                .setErrorMessage(r.message());
    }

    /**
     * As Kafka's controller: a topic the client may not describe is refused whether or not it exists; one it may
     * describe but that does not exist is unknown; one it may describe but not delete is refused.
     */
    private TopicResult deleteIfAllowed(Request request, String name) {
        if (!state.authorizer().authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        if (state.topics().topic(name) != null
                && !state.authorizer().authorize(request, AclOperation.DELETE, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        return state.topics().delete(name);
    }
}
