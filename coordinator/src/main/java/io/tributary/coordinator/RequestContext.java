package io.tributary.coordinator;

/**
 * Who sent a request and at which API version: the handlers are version-aware through it.
 * clientHost is shown as-is in DescribeGroups (Kafka shows "/" + address).
 */
public record RequestContext(short apiVersion, String clientId, String clientHost) {
    public RequestContext {
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }

    public static RequestContext of(int apiVersion, String clientId, String clientHost) {
        return new RequestContext((short) apiVersion, clientId, clientHost);
    }
}
